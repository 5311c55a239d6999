// Soak (issue 5): 1,000 start/stop cycles and 200 start / SIGKILL the supervisor / recover cycles, ending with
// no leaked process, no lock file left, and the machine's memory where it was. Only when named: `node bench/index.ts soak`.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import type { Bench } from './lib/bench.ts';
import { timedStart, timedStop, unlocked } from './lib/cli.ts';
import { BIN, benchEnv, sandbox, type RunInfo } from './lib/env.ts';
import { alive, markedProcesses, processCount, signalTracked, waitUntil } from './lib/procs.ts';
import { block, fmt, median, p90, table, type SummaryRow } from './lib/stats.ts';

/** MemAvailable of the machine, MB. */
function memAvailableMB(): number {
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** The soak benchmark. */
export const soakBench: Bench = {
  name: 'soak',
  title: '1,000 start/stop cycles and 200 start/SIGKILL-supervisor/recover cycles: leaks, lock files, memory',
  robots: true,
  seconds: 600,
  explicit: true,
  async run(run: RunInfo): Promise<SummaryRow[]> {
    const cycles = run.quick ? 50 : 1000;
    const crashes = run.quick ? 10 : 200;
    const sb = sandbox(run, 'soak');
    const env = benchEnv(sb.home);
    const mem0 = memAvailableMB();
    const procs0 = processCount();
    const memSamples: string[] = [];
    const startMs: number[] = [];
    const stopMs: number[] = [];
    let failures = 0;
    for (let i = 1; i <= cycles; i++) {
      try {
        const s = await timedStart(sb, env);
        startMs.push(s.locked);
        const stop = await timedStop(sb, env, [s.robot.pid, ...s.robot.tree, s.supervisorPid]);
        if (stop.gone !== undefined) stopMs.push(stop.gone);
        if (stop.code !== 0 || stop.left.length > 0 || !unlocked(sb.home)) failures++;
      } catch {
        failures++;
      }
      if (i % Math.max(1, cycles / 5) === 0) memSamples.push(`${i}: ${fmt(memAvailableMB() - mem0, 0)} MB, ${processCount() - procs0} procs`);
    }
    let recoverFailures = 0;
    let orphanSeen = 0;
    for (let i = 0; i < crashes; i++) {
      try {
        const s = await timedStart(sb, env);
        signalTracked(s.supervisorPid, 'SIGKILL');
        await waitUntil(() => !alive(s.supervisorPid), performance.now(), 5000);
        const status = spawnSync(process.execPath, [BIN, 'status', '--json'], { cwd: sb.home, env, encoding: 'utf8' });
        if ((JSON.parse(status.stdout) as { instance?: { state?: string } }).instance?.state === 'orphaned') orphanSeen++;
        const stop = await timedStop(sb, env, [s.robot.pid, ...s.robot.tree]);
        if (stop.code !== 0 || stop.left.length > 0 || !unlocked(sb.home)) recoverFailures++;
      } catch {
        recoverFailures++;
      }
    }
    const leaked = markedProcesses(run.runId).filter((p) => p !== process.pid && alive(p));
    const leftFiles = fs.readdirSync(sb.home).filter((f) => f.startsWith('.bbia_sim'));
    const memDelta = memAvailableMB() - mem0;
    block(
      `Soak: ${cycles} start/stop cycles, then ${crashes} start / SIGKILL supervisor / recover cycles`,
      table(
        ['', 'value'],
        [
          ['start -> robot running, lock held, median (p90) ms', `${fmt(median(startMs))} (${fmt(p90(startMs))})`],
          ['stop -> tree gone, median (p90) ms', `${fmt(median(stopMs))} (${fmt(p90(stopMs))})`],
          ['start/stop cycles failed', `${failures} of ${cycles}`],
          ['orphan reported after SIGKILL of the supervisor', `${orphanSeen} of ${crashes}`],
          ['recoveries failed (stop of the orphan, lock files gone)', `${recoverFailures} of ${crashes}`],
          ['processes of this run still alive at the end', String(leaked.length)],
          ['lock files left in HOME', leftFiles.length === 0 ? 'none' : leftFiles.join(', ')],
          ['MemAvailable change over the soak (machine), during', memSamples.join('; ')],
          ['MemAvailable change at the end', `${fmt(memDelta, 0)} MB (machine-wide: includes others' work)`],
          ['process count change at the end', String(processCount() - procs0)],
        ],
      ),
    );
    return [
      {
        metric: `Soak: ${cycles} start/stop + ${crashes} SIGKILL-supervisor/recover cycles`,
        ours: `${failures + recoverFailures} failures, ${leaked.length} leaked, ${leftFiles.length} lock files left`,
        baseline: `MemAvailable ${fmt(memDelta, 0)} MB`,
        ratio: '',
        target: `no leak, no lock file: ${failures + recoverFailures + leaked.length + leftFiles.length === 0 ? 'met' : 'MISSED'}`,
      },
    ];
  },
};
