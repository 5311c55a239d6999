// 9. `bbia-safe status --watch --interval 1`: CPU % of a core over a window, at the machine's count and
// with +1,000 idle processes, against a psutil live view refreshing at the same interval (issue 12: <= 1 %).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Bench } from './lib/bench.ts';
import { benchEnv, BIN, PY_DIR, PYTHON, sandbox, type RunInfo } from './lib/env.ts';
import { endIdle, processCount, schedCpuMsOf, startIdle, track } from './lib/procs.ts';
import { block, fmt, ratio, table, verdict, type SummaryRow } from './lib/stats.ts';

/** CPU % of one core a process used over `windowMs`, after `warmMs` (its start-up left out). */
async function cpuPercent(child: ChildProcess, warmMs: number, windowMs: number): Promise<number | undefined> {
  await delay(warmMs);
  const a = schedCpuMsOf(child.pid!);
  const t0 = performance.now();
  await delay(windowMs);
  const b = schedCpuMsOf(child.pid!);
  const dt = performance.now() - t0;
  return a === undefined || b === undefined ? undefined : ((b - a) * 100) / dt;
}

/** Runs a live view with its output drained, measures it, then ends it. */
async function measure(cmd: string[], env: NodeJS.ProcessEnv, cwd: string, warmMs: number, windowMs: number): Promise<number | undefined> {
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] });
  track(child.pid!);
  child.stdout!.resume();
  try {
    return await cpuPercent(child, warmMs, windowMs);
  } finally {
    child.kill('SIGKILL');
  }
}

/** The watch benchmark. */
export const watchBench: Bench = {
  name: 'watch',
  title: 'status --watch --interval 1 vs a psutil live view at 1 s',
  robots: false,
  seconds: 110,
  portable: false,
  async run(run: RunInfo): Promise<SummaryRow[]> {
    const windowMs = run.quick ? 10_000 : 30_000;
    const { home } = sandbox(run, 'watch');
    const env = benchEnv(home);
    const summary: SummaryRow[] = [];
    for (const extra of [0, 1000]) {
      const idle = extra > 0 ? await startIdle(extra, env) : [];
      try {
        const count = processCount();
        const ours = await measure([process.execPath, BIN, 'status', '--watch', '--interval', '1'], env, home, 3000, windowMs);
        const py = await measure([PYTHON, path.join(PY_DIR, 'psutil_watch.py'), '1'], env, home, 3000, windowMs);
        const label = extra === 0 ? `${count} procs` : `+${extra} (${count} procs)`;
        block(
          `9. status --watch at 1 s, ${label}, ${windowMs / 1000} s window`,
          table(['', '% of a core'], [['bbia-safe status --watch --interval 1', fmt(ours, 2)], ['psutil live view, 1 s', fmt(py, 2)]]),
        );
        summary.push({
          metric: `status --watch CPU at 1 s, ${label}`,
          ours: `${fmt(ours, 2)} %`,
          baseline: `psutil view ${fmt(py, 2)} %`,
          ratio: ratio(py, ours),
          target: extra > 0 ? `<= 1 %: ${verdict(ours, 1)}` : '',
        });
      } finally {
        await endIdle(idle);
      }
    }
    return summary;
  },
};
