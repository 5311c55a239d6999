// Runs the benchmarks of issue 6, each in its own Node process (those that start robots holding the
// machine's robot turn, scripts/robot-turn.mjs), sweeps whatever they left, and prints the summary as markdown.
//
//   node bench/index.ts                 every benchmark (about 8 minutes)
//   node bench/index.ts --quick         a short run (about 2 minutes)
//   node bench/index.ts poll stop       only these (names: --list)
//   node bench/index.ts --ps            the macOS mode, here (the default on macOS): the poll and the supervision on the ps reader
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bench } from './lib/bench.ts';
import { PS_MODE, ROBOT_TURN, runInfo } from './lib/env.ts';
import { endEverything, processCount, RUN_MARK } from './lib/procs.ts';
import { markdown, type SummaryRow } from './lib/stats.ts';
import { idleBench } from './idle.ts';
import { pollBench } from './poll.ts';
import { raceBench } from './race.ts';
import { soakBench } from './soak.ts';
import { rivalsBench } from './rivals.ts';
import { startBench } from './start.ts';
import { statusBench } from './status.ts';
import { superviseBench } from './supervise.ts';
import { stopBench } from './stop.ts';
import { watchBench } from './watch.ts';

const BENCHES: Bench[] = [pollBench, statusBench, watchBench, startBench, stopBench, idleBench, superviseBench, rivalsBench, raceBench, soakBench];

/** In a child: run one benchmark, end everything it started whatever happens, write its summary rows. */
async function child(name: string): Promise<void> {
  const bench = BENCHES.find((b) => b.name === name);
  if (!bench) throw new Error(`no benchmark ${name}`);
  const run = runInfo();
  process.on('exit', () => {
    const n = endEverything(run.runId);
    if (n > 0) console.log(`  (${bench.name}: ended ${n} leftover process(es) by PID)`);
  });
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => process.exit(128 + os.constants.signals[s]));
  const limitS = Math.max(180, bench.seconds * 3);
  setTimeout(() => {
    console.error(`${bench.name}: still running after ${limitS} s; giving up`);
    process.exit(1);
  }, limitS * 1000).unref();
  const rows = await bench.run(run);
  fs.writeFileSync(path.join(run.root, `summary-${bench.name}.json`), JSON.stringify(rows));
  process.exit(0);
}

function machine(): string {
  const cpus = os.cpus();
  return `${os.availableParallelism()} cores (${cpus[0]?.model.trim() ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, ${processCount()} processes before the run`;
}

async function parent(args: string[]): Promise<number> {
  const quick = args.includes('--quick');
  if (args.includes('--list')) {
    for (const b of BENCHES) console.log(`${b.name.padEnd(8)} ${b.robots ? '[robots] ' : '         '}${b.title} (~${b.seconds} s)`);
    return 0;
  }
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
    return 2;
  }
  if (args.includes('--ps')) process.env.BBIA_BENCH_PS = '1';
  const psMode = PS_MODE || args.includes('--ps');
  let selected = names.length > 0 ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES.filter((b) => !b.explicit);
  if (psMode) {
    const skipped = selected.filter((b) => !b.portable);
    selected = selected.filter((b) => b.portable);
    if (skipped.length > 0) console.log(`macOS mode (the ps reader): ${skipped.map((b) => b.name).join(', ')} read /proc and run on Linux only`);
  }
  const runId = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bbia-bench-'));
  let interrupted = false;
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => (interrupted = true));
  const about = machine();
  console.log(`bbia-safe benchmarks (issue 6), ${quick ? 'quick' : 'full'} run: ${about}`);
  const summary: SummaryRow[] = [];
  const failed: string[] = [];
  try {
    for (const bench of selected) {
      if (interrupted) break;
      const nodeArgs = ['--expose-gc', '--no-warnings', path.join(import.meta.dirname, 'index.ts'), '--child', bench.name];
      const cmd = bench.robots ? [process.execPath, ROBOT_TURN, process.execPath, ...nodeArgs] : [process.execPath, ...nodeArgs];
      console.log(`\n>>> ${bench.name}: ${bench.title}${bench.robots ? ' (holding the robot turn)' : ''}, ~${Math.round(bench.seconds / (quick ? 3 : 1))} s`);
      const r = spawnSync(cmd[0]!, cmd.slice(1), {
        stdio: 'inherit',
        env: { ...process.env, [RUN_MARK]: runId, BBIA_BENCH_ROOT: root, BBIA_BENCH_QUICK: quick ? '1' : '0' },
      });
      const left = endEverything(runId);
      if (left > 0) console.log(`  (ended ${left} leftover process(es) of ${bench.name} by PID)`);
      const file = path.join(root, `summary-${bench.name}.json`);
      if (r.status === 0 && fs.existsSync(file)) summary.push(...(JSON.parse(fs.readFileSync(file, 'utf8')) as SummaryRow[]));
      else failed.push(`${bench.name} (exit ${r.status ?? r.signal})`);
    }
  } finally {
    endEverything(runId);
    fs.rmSync(root, { recursive: true, force: true });
  }
  console.log('\n## Performance\n');
  console.log(`One ${quick ? 'quick' : 'full'} run, noisy (a shared machine, others' tests running): ${about}. `
    + 'Ratios are baseline / bbia-safe, measured in the same run; medians, p90 in parentheses.\n');
  console.log(markdown(['measure', 'bbia-safe', 'baseline (same run)', 'ratio', 'target (issue 6)'], summary.map((r) => [r.metric, r.ours, r.baseline, r.ratio, r.target])));
  if (failed.length > 0) console.log(`\nFailed: ${failed.join(', ')}`);
  return failed.length > 0 || interrupted ? 1 : 0;
}

const argv = process.argv.slice(2);
const childAt = argv.indexOf('--child');
if (childAt >= 0) {
  process.env.BBIA_BENCH_QUICK ??= '0';
  child(argv[childAt + 1] ?? '').catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
} else {
  process.exitCode = await parent(argv);
}
