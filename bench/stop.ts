// 4. Stop: from `bbia-safe stop --force` to every PID of the tree gone, for a well-behaved 50-process tree,
// a SIGTERM-deaf one (--timeout 1), and one with a setsid grandchild; a bare group SIGTERM as the floor.
import { spawn } from 'node:child_process';
import type { Bench } from './lib/bench.ts';
import { readyTree, timedStart, timedStop, type Sandbox, type StopTimes } from './lib/cli.ts';
import { benchEnv, PYTHON, sandbox, type RunInfo } from './lib/env.ts';
import { alive, signalTracked, track, waitUntil } from './lib/procs.ts';
import { block, fmt, median, medP90, table, verdict, type SummaryRow } from './lib/stats.ts';

interface Scenario {
  label: string;
  knobs: Record<string, string>;
  args: string[];
  /** The grace period the stop waits before SIGKILL, ms (reported as over-grace). */
  graceMs: number;
}

const SCENARIOS: Scenario[] = [
  { label: 'well-behaved, 50 processes', knobs: { BBIA_FAKE_CHILDREN: '49' }, args: [], graceMs: 0 },
  { label: 'ignores SIGTERM, 10 processes, --timeout 1', knobs: { BBIA_FAKE_CHILDREN: '9', BBIA_FAKE_IGNORE_TERM: '1' }, args: ['--timeout', '1'], graceMs: 1000 },
  { label: 'setsid grandchild, 4 processes', knobs: { BBIA_FAKE_CHILDREN: '2', BBIA_FAKE_SETSID: '1' }, args: [], graceMs: 0 },
];

/** The floor: the bench spawns the robot as a group leader, SIGTERMs the group, waits for every PID gone. */
async function bareGroupStop(sb: Sandbox, env: NodeJS.ProcessEnv, knobs: Record<string, string>): Promise<{ gone?: number; left: number; total: number }> {
  const { rmSync } = await import('node:fs');
  rmSync(sb.ready, { force: true });
  const child = spawn(PYTHON, ['scripts/launch_complete_robot.py', '--headless'], {
    cwd: sb.project,
    env: { ...env, ...knobs, BBIA_FAKE_READY: sb.ready },
    stdio: 'ignore',
    detached: true,
  });
  child.on('error', () => {});
  track(child.pid!);
  const tree = await readyTree(sb.ready);
  const pids = [tree.pid, ...tree.tree];
  const t0 = performance.now();
  // the group of the process we spawned, named by its PID (our child, so its ID cannot have been reused)
  process.kill(-child.pid!, 'SIGTERM');
  const gone = await waitUntil(() => pids.every((p) => !alive(p)), t0, 3000);
  const left = pids.filter(alive);
  for (const p of left) signalTracked(p, 'SIGKILL');
  await waitUntil(() => pids.every((p) => !alive(p)), performance.now(), 5000);
  return { gone, left: left.length, total: pids.length };
}

/** The stop benchmark. */
export const stopBench: Bench = {
  name: 'stop',
  title: 'stop --force: 50-process tree, SIGTERM-deaf tree, setsid grandchild',
  robots: true,
  seconds: 60,
  async run(run: RunInfo): Promise<SummaryRow[]> {
    const reps = run.quick ? 2 : 5;
    const rows: string[][] = [];
    const summary: SummaryRow[] = [];
    for (const sc of SCENARIOS) {
      const sb = sandbox(run, 'stop');
      const env = benchEnv(sb.home, sc.knobs);
      const times: (StopTimes & { total: number })[] = [];
      const floor: { gone?: number; left: number; total: number }[] = [];
      for (let i = 0; i < reps; i++) {
        const s = await timedStart(sb, env);
        const pids = [s.robot.pid, ...s.robot.tree];
        const t = await timedStop(sb, env, pids, sc.args);
        times.push({ ...t, total: pids.length });
        for (const p of t.left) signalTracked(p, 'SIGKILL');
        floor.push(await bareGroupStop(sb, env, sc.knobs));
      }
      const gone = times.map((t) => t.gone ?? Number.NaN);
      const failures = times.filter((t) => t.code !== 0 || t.left.length > 0).length;
      rows.push(
        [
          `bbia-safe stop: ${sc.label}`,
          medP90(gone),
          sc.graceMs ? `+${fmt(median(gone) - sc.graceMs)}` : '',
          medP90(times.map((t) => t.exited)),
          medP90(times.map((t) => t.unlocked ?? Number.NaN)),
          `${failures}/${reps}`,
        ],
        [
          `  floor: group SIGTERM by the bench`,
          floor.some((f) => f.gone === undefined) ? `never: ${median(floor.map((f) => f.left))}/${floor[0]?.total} left after 3 s` : medP90(floor.map((f) => f.gone!)),
          '',
          '',
          '',
          '',
        ],
      );
      const med = median(gone);
      summary.push({
        metric: `Stop: ${sc.label}, command -> all gone`,
        ours: `${medP90(gone)} ms`,
        baseline: floor.some((f) => f.gone === undefined)
          ? `group SIGTERM: ${median(floor.map((f) => f.left))} of ${floor[0]?.total} never go`
          : `group SIGTERM ${fmt(median(floor.map((f) => f.gone!)))} ms`,
        ratio: floor.some((f) => f.gone === undefined) ? '-' : `+${fmt(med - median(floor.map((f) => f.gone!)))} ms`,
        target: sc.graceMs ? `< grace + 100 ms: ${verdict(med - sc.graceMs, 100)} (+${fmt(med - sc.graceMs)})` : `< 150 ms: ${verdict(med, 150)}`,
      });
    }
    block(
      `4. Stop: ${reps} runs per case (ms from the stop command)`,
      table(['', 'all PIDs gone', 'over grace', 'command returned', 'lock files gone', 'failed'], rows),
      [
        'gone: no /proc entry, or a zombie; every PID of the tree (from the fake robot ready file) polled every ~1 ms',
        'floor: the same tree spawned by the bench as a group leader, SIGTERM to its group, no scan, no identity checks',
      ],
    );
    return summary;
  },
};
