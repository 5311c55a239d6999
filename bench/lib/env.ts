// Where things are, the environment every bench child gets, temp homes, and CPU time of child commands.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { RUN_MARK } from './procs.ts';

/** The repository root. */
export const REPO = path.resolve(import.meta.dirname, '..', '..');
/** The CLI entry as users run it. */
export const BIN = path.join(REPO, 'bin', 'bbia-safe.js');
/** The compiled engine (npm run build). */
export const OUT = path.join(REPO, 'out', 'main', 'engine');
/** The BBIA-like project fixture. */
export const FIXTURE = path.join(REPO, 'tests', 'fixtures', 'project');
/** The Python helpers of the bench. */
export const PY_DIR = path.join(REPO, 'bench', 'py');
/** Debian's interpreter, with python3-psutil: the baseline, and the robot's interpreter everywhere in the bench (on macOS: python3 on the PATH, with psutil from pip). */
export const PYTHON = process.env.BBIA_BENCH_PYTHON ?? (process.platform === 'darwin' ? 'python3' : '/usr/bin/python3');
/**
 * The macOS mode (the default on macOS; `--ps` elsewhere, to run the same code on Linux's procps ps):
 * the poll benchmark on the ps reader, with CPU from wait4()'s rusage since there is no /proc to read.
 */
export const PS_MODE = process.platform === 'darwin' || process.env.BBIA_BENCH_PS === '1';
/** Runs a command holding the machine's robot turn (npm test takes the same turn: its tests start robots too). */
export const ROBOT_TURN = path.join(REPO, 'scripts', 'robot-turn.mjs');

/** What one bench child knows about the run. */
export interface RunInfo {
  /** Marks every process of this run (see RUN_MARK). */
  runId: string;
  /** The run's temp root; every temp HOME is inside it. */
  root: string;
  /** Short run. */
  quick: boolean;
}

/** The run info handed down by bench/index.ts through the environment. */
export function runInfo(): RunInfo {
  const runId = process.env[RUN_MARK];
  const root = process.env.BBIA_BENCH_ROOT;
  if (!runId || !root) throw new Error('run the benchmarks through bench/index.ts');
  return { runId, root, quick: process.env.BBIA_BENCH_QUICK === '1' };
}

/**
 * The environment of everything the bench starts: the run mark, a temp HOME, English, and a PATH where
 * `python3` is Debian's /usr/bin/python3 (not a pyenv shim, which would add its own start-up to every robot).
 */
export function benchEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('BBIA_FAKE') && !k.startsWith('XDG_') && !k.startsWith('PYENV') && !k.startsWith('PM2_')) env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    LANG: 'C',
    LC_ALL: 'C',
    PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin:/usr/sbin:/sbin`,
    ...extra,
  };
}

let homes = 0;

/** A fresh temp HOME inside the run root, with a copy of the BBIA-like project. */
export function sandbox(run: RunInfo, label: string): { home: string; project: string; ready: string } {
  const home = path.join(run.root, `${label}-${++homes}`);
  const project = path.join(home, 'bbia-project');
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  fs.cpSync(FIXTURE, project, { recursive: true });
  return { home, project, ready: path.join(home, 'ready.json') };
}

/** One run of a command as its parent's wait4() saw it. */
export interface RusageRun {
  /** Wall time from fork to reap, ms. */
  wall_ms: number;
  /** User CPU of the command and its waited-for descendants, ms (µs precision). */
  user_ms: number;
  /** System CPU, likewise. */
  sys_ms: number;
  /** Peak RSS, kB. */
  maxrss_kb: number;
  /** Exit status (negative: killed by that signal). */
  rc: number;
}

/**
 * Runs a command `n` times in a row under bench/py/rusage_run.py, which reads each run's CPU from wait4()'s
 * rusage (children included, µs precision; /proc/self/stat cutime has only 10 ms ticks). The last run's
 * stdout is returned for checking.
 */
export function rusage(cmd: readonly string[], opts: { n: number; cwd: string; env: NodeJS.ProcessEnv }): { runs: RusageRun[]; stdout: string; stderr: string } {
  const outFile = path.join(opts.cwd, `.rusage-${process.pid}.out`);
  const errFile = path.join(opts.cwd, `.rusage-${process.pid}.err`);
  const spec = JSON.stringify({ cmd, n: opts.n, cwd: opts.cwd, stdout: outFile, stderr: errFile });
  const r = spawnSync(PYTHON, [path.join(PY_DIR, 'rusage_run.py')], { input: spec, env: opts.env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`rusage_run.py failed (${r.status}): ${r.stderr}`);
  const runs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as RusageRun);
  const read = (f: string) => {
    try {
      return fs.readFileSync(f, 'utf8');
    } finally {
      fs.rmSync(f, { force: true });
    }
  };
  return { runs, stdout: read(outFile), stderr: read(errFile) };
}
