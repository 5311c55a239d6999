// 5. The detached supervisor idle (CPU % and RSS from /proc, forks a minute by strace), at the machine's own
// process count and with 1,000 extra idle processes; then the engine's poll loop, 10,000 Scanner.scan calls
// in-process: RSS at start and end. In the macOS mode (--ps) only the first part: the detached supervisor reads no process
// table, so it is the same program there (less the subreaper call); the poll loop is the poll bench's.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createLinuxSource } from '../out/main/engine/scan/proc/linux.js';
import { collectTree } from '../out/main/engine/supervise/stop-tree.js';
import type { Bench } from './lib/bench.ts';
import { forksOf } from './lib/forks.ts';
import { timedStart, timedStop } from './lib/cli.ts';
import { benchEnv, PS_MODE, PYTHON, sandbox, type RunInfo } from './lib/env.ts';
import { cpuMsOf, endIdle, processCount, rssOf, schedCpuMsOf, signalTracked, startIdle, statFields, track } from './lib/procs.ts';
import { block, fmt, median, medP90, ratio, table, verdict, type SummaryRow } from './lib/stats.ts';

const MB = 1024 * 1024;

/** CPU % of one core and RSS of one process over `seconds`, sampled every second. */
export async function idleOf(pid: number, seconds: number): Promise<{ cpuPct: number; tickPct: number; rss: number[] }> {
  const s0 = schedCpuMsOf(pid) ?? Number.NaN;
  const k0 = cpuMsOf(pid) ?? Number.NaN;
  const t0 = performance.now();
  const rss: number[] = [];
  for (let i = 0; i < seconds; i++) {
    await delay(1000);
    const r = rssOf(pid);
    if (r !== undefined) rss.push(r);
  }
  const ms = performance.now() - t0;
  return {
    cpuPct: (((schedCpuMsOf(pid) ?? Number.NaN) - s0) / ms) * 100,
    tickPct: (((cpuMsOf(pid) ?? Number.NaN) - k0) / ms) * 100,
    rss,
  };
}

/** Wall ms of each of `n` calls. */
function timeIt(n: number, fn: () => unknown): number[] {
  fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** The tree under `root` from /proc/<pid>/task/<tid>/children (Linux 3.5+), with each member's start time: O(tree), not O(processes). */
export function walkTree(root: number): { pid: number; startKey: string }[] {
  const out: { pid: number; startKey: string }[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    const ticks = statFields(pid)?.[19];
    if (ticks === undefined) continue;
    out.push({ pid, startKey: ticks });
    let tids: string[];
    try {
      tids = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').trim();
        if (text) for (const c of text.split(' ')) queue.push(Number(c));
      } catch {
        // thread gone
      }
    }
  }
  return out;
}

/** The idle benchmark. */
export const idleBench: Bench = {
  name: 'idle',
  title: 'detached supervisor idle (CPU %, RSS); 10,000 polls in-process (RSS)',
  robots: true,
  seconds: 110,
  // Its --ps run (the macOS mode, here) measures the detached supervisor only; on a Mac /proc is missing
  portable: process.platform !== 'darwin',
  async run(run: RunInfo): Promise<SummaryRow[]> {
    const seconds = run.quick ? 8 : 30;
    const polls = run.quick ? 2000 : 10_000;
    const summary: SummaryRow[] = [];
    const rows: string[][] = [];
    const sb = sandbox(run, 'idle');
    const env = benchEnv(sb.home, { BBIA_FAKE_CHILDREN: '9' });
    const source = createLinuxSource();
    const trackRows: string[][] = [];
    for (const extra of [0, 1000]) {
      const idle = extra > 0 ? await startIdle(extra, env) : [];
      try {
        const s = await timedStart(sb, env);
        const floorProc = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { env, stdio: 'ignore' });
        track(floorProc.pid!);
        // the detached supervisor's own floor: the same interpreter, waking every 5 s as the detached supervisor does on Linux
        const pyFloor = spawn(PYTHON, ['-I', '-S', '-c', 'import select\nwhile True: select.select([], [], [], 5)'], { env, stdio: 'ignore' });
        track(pyFloor.pid!);
        await delay(2000); // settle: the supervisor's start-up (and its hand-over to the detached supervisor) is not idle
        const count = processCount();
        const what = path.basename(fs.readlinkSync(`/proc/${s.supervisorPid}/exe`));
        const [sup, floor, py, forks] = await Promise.all([
          idleOf(s.supervisorPid, seconds),
          idleOf(floorProc.pid!, seconds),
          idleOf(pyFloor.pid!, seconds),
          forksOf(s.supervisorPid, seconds, sb.home),
        ]);
        signalTracked(floorProc.pid!, 'SIGKILL');
        signalTracked(pyFloor.pid!, 'SIGKILL');
        // What the supervisor's tracking costs per tick, and what a walk of /proc/<pid>/task/*/children would
        const root = { pid: s.robot.pid, startKey: String(statFields(s.robot.pid)?.[19]) };
        const full = timeIt(200, () => collectTree(source, root, []).length);
        const walk = timeIt(200, () => walkTree(root.pid).length);
        trackRows.push([`${count} processes`, `${collectTree(source, root, []).length} / ${walkTree(root.pid).length}`, medP90(full), medP90(walk), ratio(median(full), median(walk))]);
        const stop = await timedStop(sb, env, [s.robot.pid, ...s.robot.tree, s.supervisorPid]);
        for (const p of stop.left) signalTracked(p, 'SIGKILL');
        const rssCell = (r: number[]) => `${fmt(Math.min(...r) / MB)} / ${fmt(median(r) / MB)} / ${fmt(Math.max(...r) / MB)}`;
        const forkCell = forks === undefined ? 'n/a (no strace)' : fmt(forks, 1);
        rows.push(
          [`supervisor (${what}), ${count} processes`, `${fmt(sup.cpuPct, 3)} %`, `${fmt(sup.tickPct, 3)} %`, rssCell(sup.rss), forkCell],
          [`  floor: node -e 'setInterval(...)'`, `${fmt(floor.cpuPct, 3)} %`, `${fmt(floor.tickPct, 3)} %`, rssCell(floor.rss), ''],
          [`  floor: python3 -I -S, select() every 5 s`, `${fmt(py.cpuPct, 3)} %`, `${fmt(py.tickPct, 3)} %`, rssCell(py.rss), ''],
        );
        summary.push({
          metric: `Detached supervisor idle${PS_MODE ? ' (--ps run)' : ''}, ${seconds} s, ${extra ? `+${extra} (${count} procs)` : `${count} procs`}`,
          ours: `${fmt(sup.cpuPct, 3)} % of a core, ${fmt(median(sup.rss) / MB)} MB (${what}), ${forkCell} forks/min`,
          baseline: `bare idle node: ${fmt(floor.cpuPct, 3)} %, ${fmt(median(floor.rss) / MB)} MB; bare python: ${fmt(py.cpuPct, 3)} %, ${fmt(median(py.rss) / MB)} MB`,
          ratio: '',
          target: `0 forks/min: ${forks === undefined ? 'n/a' : forks === 0 ? 'met' : 'MISSED'}; < 0.05 %: ${verdict(sup.cpuPct, 0.05)}; < 40 MB: ${verdict(median(sup.rss) / MB, 40)}`,
        });
      } finally {
        await endIdle(idle);
      }
    }
    block(
      `5a. The detached supervisor idle, ${seconds} s, robot running (a 10-process tree)`,
      table(['', 'CPU (schedstat)', 'CPU (stat ticks)', 'RSS MB min / med / max', 'forks/min'], rows),
      [
        'CPU from /proc/<pid>/task/*/schedstat (ns) and from utime+stime of /proc/<pid>/stat (10 ms ticks); RSS: VmRSS each second',
        'forks: `strace -p PID -e trace=fork,vfork,clone,clone3` on the supervisor alone over the same window',
        "once the robot runs, the Node supervisor hands over to the detached supervisor (main/engine/supervise/detached/supervisor.py) in the same process (execve); it reads no process table on any platform: it wakes every 30 s for two stat() calls (lock there? log over its cap?) and runs Node only when one is wrong, so a quiet robot costs it no fork",
        "floors: a bare Node waking once a second, and the detached supervisor's interpreter waking every 5 s; on this VM the cost of a wake-up varies with the host's load, so compare each row with its floors",
      ],
    );
    block(
      '5a. What one tracking tick of a Node supervisor costs (foreground CLI, app): collectTree (full /proc listing) vs a walk of /proc/<pid>/task/*/children',
      table(['', 'tree found (full / walk)', 'collectTree ms med (p90)', 'children walk ms', 'ratio'], trackRows),
      ['the walk reads one children file per thread of each tree member and one stat per member (for its start time); 200 calls each'],
    );

    if (PS_MODE) return summary;
    // 5b: the poll loop alone in a fresh process, while the bench replaces 20 short-lived processes every 0.5 s (the cache grows and shrinks)
    let churn: number[] = [];
    const replace = () => {
      for (const p of churn) signalTracked(p, 'SIGKILL');
      churn = [];
      for (let i = 0; i < 20; i++) {
        const c = spawn('/bin/sleep', ['600'], { stdio: 'ignore', env });
        c.on('error', () => {});
        if (c.pid) {
          track(c.pid);
          churn.push(c.pid);
        }
      }
    };
    const timer = setInterval(replace, 500);
    const loops: { who: string; marks: Record<string, number>[]; wallMs: number }[] = [];
    // Node's defaults (the app's main process, status --watch), and the young-generation cap the detached supervisor runs with
    const variants = [
      { who: 'defaults', flags: [] },
      { who: 'semi-space 1 MB', flags: ['--max-semi-space-size=1'] },
    ];
    try {
      for (const variant of variants) {
        const loop = spawn(process.execPath, ['--expose-gc', ...variant.flags, path.join(import.meta.dirname, 'lib', 'poll-loop.mjs'), String(polls), sb.project], {
          env,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        track(loop.pid!);
        let out = '';
        loop.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        const code = await new Promise<number | null>((resolve) => loop.on('close', resolve));
        if (code !== 0) throw new Error(`the poll loop failed (${code})`);
        const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
        loops.push({ who: variant.who, marks: lines.filter((l) => l.at !== undefined), wallMs: lines.find((l) => l.wallMs !== undefined)!.wallMs! });
      }
    } finally {
      clearInterval(timer);
      for (const p of churn) signalTracked(p, 'SIGKILL');
    }

    block(
      `5b. The engine's poll loop: ${polls} Scanner.scan calls in a fresh process (${processCount()} processes, 20 replaced every 0.5 s)`,
      table(
        ['V8 flags', 'after poll', 'RSS MB', 'heap used MB', 'heap total MB', 'external+buffers MB'],
        loops.flatMap((l) =>
          l.marks.map((m, i) => [i === 0 ? l.who : '', String(m.at), fmt(m.rss! / MB), fmt(m.heapUsed! / MB), fmt(m.heapTotal! / MB), fmt(m.external! / MB)]),
        ),
      ),
      [
        ...loops.map((l) => `${l.who}: ${fmt(l.wallMs / 1000)} s in all, ${fmt(l.wallMs / polls)} ms per poll`),
        'memory read after a forced GC at each mark',
      ],
    );
    const delta = (a: number, b: number) => `${b >= a ? '+' : ''}${fmt((b - a) / MB)}`;
    for (const { who, marks } of loops) {
      const first = marks[0]!;
      const warm = marks[1]!;
      const last = marks.at(-1)!;
      summary.push({
        metric: `Poll loop memory, ${polls} polls back to back, V8 ${who} (RSS start -> end)`,
        ours: `${fmt(first.rss! / MB)} -> ${fmt(last.rss! / MB)} MB (${delta(first.rss!, last.rss!)}; from poll ${warm.at}: ${delta(warm.rss!, last.rss!)})`,
        baseline: `JS heap in use: ${fmt(first.heapUsed! / MB)} -> ${fmt(last.heapUsed! / MB)} MB`,
        ratio: '',
        target: `flat within 5 MB: ${verdict(Math.abs(last.rss! - first.rss!) / MB, 5)}`,
      });
    }
    return summary;
  },
};
