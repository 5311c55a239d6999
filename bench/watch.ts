// 9. `bbia-safe status --watch --interval 1`: CPU % of a core over a window, at the machine's count and
// with +1,000 idle processes, against a psutil live view refreshing at the same interval (issue 12: <= 1 %).
// Each view is measured over several back-to-back windows after its start-up; the figure is their median.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Bench } from './lib/bench.ts';
import { benchEnv, BIN, PY_DIR, PYTHON, sandbox, type RunInfo } from './lib/env.ts';
import { endIdle, processCount, schedCpuMsOf, startIdle, track } from './lib/procs.ts';
import { block, fmt, median, ratio, table, verdict, type SummaryRow } from './lib/stats.ts';

/** CPU % of one core a process used in each of `windows` back-to-back windows of `windowMs`, after `warmMs` (its start-up left out). */
async function cpuPercents(child: ChildProcess, warmMs: number, windowMs: number, windows: number): Promise<number[]> {
  await delay(warmMs);
  const out: number[] = [];
  let a = schedCpuMsOf(child.pid!);
  let t0 = performance.now();
  for (let i = 0; i < windows; i++) {
    await delay(windowMs);
    const b = schedCpuMsOf(child.pid!);
    const t1 = performance.now();
    if (a === undefined || b === undefined) return out;
    out.push(((b - a) * 100) / (t1 - t0));
    a = b;
    t0 = t1;
  }
  return out;
}

/** Runs a live view with its output drained, measures it, then ends it. */
async function measure(cmd: string[], env: NodeJS.ProcessEnv, cwd: string, warmMs: number, windowMs: number, windows: number): Promise<number[]> {
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] });
  track(child.pid!);
  child.stdout!.resume();
  try {
    return await cpuPercents(child, warmMs, windowMs, windows);
  } finally {
    child.kill('SIGKILL');
  }
}

const med = (xs: number[]): number | undefined => (xs.length > 0 ? median(xs) : undefined);
const list = (xs: number[]): string => xs.map((x) => fmt(x, 2)).join(' ');

/** The watch benchmark. */
export const watchBench: Bench = {
  name: 'watch',
  title: 'status --watch --interval 1 vs a psutil live view at 1 s',
  robots: false,
  seconds: 180,
  portable: false,
  async run(run: RunInfo): Promise<SummaryRow[]> {
    const windowMs = run.quick ? 5000 : 8000;
    const windows = run.quick ? 3 : 5;
    const { home } = sandbox(run, 'watch');
    const env = benchEnv(home);
    const summary: SummaryRow[] = [];
    for (const extra of [0, 1000]) {
      const idle = extra > 0 ? await startIdle(extra, env) : [];
      try {
        const count = processCount();
        const oursAll = await measure([process.execPath, BIN, 'status', '--watch', '--interval', '1'], env, home, 3000, windowMs, windows);
        const pyAll = await measure([PYTHON, path.join(PY_DIR, 'psutil_watch.py'), '1'], env, home, 3000, windowMs, windows);
        const [ours, py] = [med(oursAll), med(pyAll)];
        const label = extra === 0 ? `${count} procs` : `+${extra} (${count} procs)`;
        const target = extra > 0 ? `<= 1 %: ${verdict(ours, 1)}` : '';
        block(
          `9. status --watch at 1 s, ${label}, median of ${windows} windows of ${windowMs / 1000} s`,
          table(
            ['', '% of a core (median)', 'each window', 'target (issue 12)'],
            [
              ['bbia-safe status --watch --interval 1', fmt(ours, 2), list(oursAll), target],
              ['psutil live view, 1 s', fmt(py, 2), list(pyAll), ''],
            ],
          ),
        );
        summary.push({
          metric: `status --watch CPU at 1 s, ${label}`,
          ours: `${fmt(ours, 2)} %`,
          baseline: `psutil view ${fmt(py, 2)} %`,
          ratio: ratio(py, ours),
          target,
        });
      } finally {
        await endIdle(idle);
      }
    }
    return summary;
  },
};
