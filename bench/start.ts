// 3. Start: from the command to the robot running with the lock held, `bbia-safe start headless --detach`
// against a bare child_process.spawn of the same script (time to its spawn event, and to its ready file).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Bench } from './lib/bench.ts';
import { timedStop, timedStart, type StartTimes } from './lib/cli.ts';
import { benchEnv, PYTHON, sandbox, type RunInfo } from './lib/env.ts';
import { alive, signalTracked, track, waitUntil } from './lib/procs.ts';
import { block, fmt, median, medP90, ratio, table, verdict, type SummaryRow } from './lib/stats.ts';

/** A bare spawn of the robot script: ms to the 'spawn' event and to the ready file; then SIGKILL by PID. */
async function bareStart(project: string, ready: string, env: NodeJS.ProcessEnv): Promise<{ spawned: number; ready: number }> {
  fs.rmSync(ready, { force: true });
  const t0 = performance.now();
  const child = spawn(PYTHON, ['scripts/launch_complete_robot.py', '--headless'], {
    cwd: project,
    env: { ...env, BBIA_FAKE_READY: ready },
    stdio: 'ignore',
    detached: true,
  });
  const spawned = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(performance.now() - t0));
    child.once('error', reject);
  });
  track(child.pid!);
  const readyAt = await waitUntil(() => fs.existsSync(ready), t0, 20_000);
  signalTracked(child.pid!, 'SIGKILL');
  await waitUntil(() => !alive(child.pid!), performance.now(), 5000);
  if (readyAt === undefined) throw new Error('the bare robot never wrote its ready file');
  return { spawned, ready: readyAt };
}

/** The start benchmark. */
export const startBench: Bench = {
  name: 'start',
  title: 'start headless --detach vs a bare spawn',
  robots: true,
  seconds: 30,
  async run(run: RunInfo): Promise<SummaryRow[]> {
    const reps = run.quick ? 3 : 10;
    const sb = sandbox(run, 'start');
    const env = benchEnv(sb.home);
    const ours: StartTimes[] = [];
    const bare: { spawned: number; ready: number }[] = [];
    for (let i = 0; i < reps; i++) {
      const s = await timedStart(sb, env);
      ours.push(s);
      const stop = await timedStop(sb, env, [s.robot.pid, ...s.robot.tree, s.supervisorPid]);
      if (stop.code !== 0 || stop.left.length > 0) throw new Error(`stop after start failed (exit ${stop.code}, left ${stop.left.join(',')})`);
      bare.push(await bareStart(sb.project, sb.ready, env));
    }
    const locked = ours.map((s) => s.locked);
    const readyOurs = ours.map((s) => s.ready);
    const readyBare = bare.map((b) => b.ready);
    block(
      `3. Start: ${reps} runs each, interleaved (ms from the command)`,
      table(
        ['', 'robot running, lock held', 'command returned', 'robot ready file'],
        [
          ['bbia-safe start headless --detach', medP90(locked), medP90(ours.map((s) => s.exited)), medP90(readyOurs)],
          ['bare child_process.spawn', `${medP90(bare.map((b) => b.spawned))} (spawn event)`, '-', medP90(readyBare)],
          ['overhead (medians)', `+${fmt(median(locked) - median(bare.map((b) => b.spawned)))}`, '', `+${fmt(median(readyOurs) - median(readyBare))}`],
        ],
      ),
      [
        'robot running, lock held: ~/.bbia_sim.lock present and ~/.bbia_sim.pid naming a live PID, polled every ~1 ms',
        'ready file: the fake robot (Debian python3) wrote it after its imports; the same script, interpreter and env for both',
        'bbia-safe: node CLI, then a detached node supervisor that scans, takes the lock, spawns the robot and writes the pidfile',
      ],
    );
    return [
      {
        metric: 'Start: command -> robot running, lock held',
        ours: `${medP90(locked)} ms`,
        baseline: `bare spawn ${fmt(median(bare.map((b) => b.spawned)))} ms (spawn event)`,
        ratio: `+${fmt(median(locked) - median(bare.map((b) => b.spawned)))} ms`,
        target: `< 150 ms: ${verdict(median(locked), 150)}`,
      },
      {
        metric: 'Start: command -> robot ready (its imports done)',
        ours: `${medP90(readyOurs)} ms`,
        baseline: `bare spawn ${fmt(median(readyBare))} ms`,
        ratio: `${ratio(median(readyOurs), median(readyBare))} (ours / bare)`,
        target: '',
      },
    ];
  },
};
