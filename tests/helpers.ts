import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, afterEach } from 'vitest';
import { createProcSource } from '../main/engine/scan/proc/source.js';
import type { ProcEntry } from '../main/engine/scan/proc/types.js';
import { waitFor } from '../main/engine/wait.js';

/** The CLI entry as users run it. */
export const BIN = path.resolve(import.meta.dirname, '..', 'bin', 'bbia-safe.js');
const FIXTURE = path.resolve(import.meta.dirname, 'fixtures', 'project');

const temps: string[] = [];
const started = new Map<number, string | undefined>();

/**
 * The engine's own process reader for this platform (/proc on Linux, ps and lsof on macOS): the tests
 * read processes through it, so that they run on a Mac too.
 */
export const procSource = createProcSource();

/** True on Linux, where the tests of Linux-only mechanisms (subreaper, /proc/PID/environ, unshare) run. */
export const LINUX = process.platform === 'linux';

/** The start key of a live PID, as the engine records it; undefined once it is gone or a zombie. */
export function startKey(pid: number): string | undefined {
  return procSource.read(pid)?.startKey;
}

/**
 * A process as it is now, through a fresh reader: the engine's readers keep a command line until they see
 * an exec, and Linux's sees one by the command name, which a pyenv shim and the Python it becomes share
 * ("python3"); a test waiting for the exec must not be told the shim's line again.
 */
export function readNow(pid: number): ProcEntry | undefined {
  return createProcSource().read(pid);
}

/** The command line of a live PID (arguments joined by spaces) as it is now, or undefined once it is gone. */
export function commandOf(pid: number): string | undefined {
  return readNow(pid)?.command;
}

/** The parent PID of a live PID, or undefined once it is gone. */
export function ppidOf(pid: number): number | undefined {
  return procSource.read(pid)?.ppid;
}

/**
 * The arguments of `script` that run `argv` in a pseudo-terminal: util-linux's `-qec CMD /dev/null` on
 * Linux, BSD's `-q /dev/null ARGV...` on macOS (both exec the command, so Ctrl+C reaches it first).
 */
export function scriptArgs(argv: string[]): string[] {
  if (LINUX) return ['-qec', `exec ${argv.map((a) => `"${a}"`).join(' ')}`, '/dev/null'];
  return ['-q', '/dev/null', ...argv];
}

/** A fresh temp folder, removed after the file's tests. */
export function tempDir(prefix = 'bbia-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A temp HOME and a copy of the BBIA-like project inside it. */
export function sandbox(): { home: string; project: string; ready: string } {
  const home = tempDir();
  const project = path.join(home, 'bbia-project');
  fs.cpSync(FIXTURE, project, { recursive: true });
  return { home, project, ready: path.join(home, 'ready.json') };
}

/** The environment of a CLI run: temp HOME, English, no terminal, and the fake robot's knobs. */
export function cliEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('BBIA_') && !k.startsWith('XDG_')) env[k] = v;
  return { ...env, HOME: home, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', ...extra };
}

/** Runs the CLI to completion. */
export async function cli(home: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = await execa(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? home,
    env: cliEnv(home, opts.env),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  return { code: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), signal: result.signal };
}

/** Starts the CLI without waiting (a foreground `start`); its PID is cleaned up after the test. */
export function cliSpawn(home: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): ResultPromise {
  const sub = execa(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? home,
    env: cliEnv(home, opts.env),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  if (sub.pid) track(sub.pid);
  return sub;
}

/** Remembers PIDs this test started indirectly (robot trees), so they are cleaned up even when an assertion fails. */
export function track(...pids: number[]): void {
  for (const p of pids) if (!started.has(p)) started.set(p, startKey(p));
}

/** True while a PID exists and is not a zombie. */
export function alive(pid: number): boolean {
  return procSource.read(pid) !== undefined;
}

/** Waits for the fake robot's ready file and returns the robot PID and its whole tree. */
export async function readyTree(file: string, timeoutMs = 15_000): Promise<{ pid: number; tree: number[] }> {
  if (!(await waitFor(() => fs.existsSync(file), timeoutMs))) throw new Error(`the fake robot never wrote ${file}`);
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number; tree: number[] };
  track(data.pid, ...data.tree);
  return data;
}

/** Waits until every PID is gone. */
export function allGone(pids: number[], timeoutMs = 10_000): Promise<boolean> {
  return waitFor(() => pids.every((p) => !alive(p)), timeoutMs);
}

/** PIDs of every live process (of any user) whose command line contains `needle`. */
export function pidsMatching(needle: string): number[] {
  return procSource
    .list()
    .filter((p) => p.command.includes(needle))
    .map((p) => p.pid);
}

/** Reads the pidfile's first line (the robot PID) and tracks it. */
export function pidfilePid(home: string): number {
  const pid = Number(fs.readFileSync(path.join(home, '.bbia_sim.pid'), 'utf8').split('\n')[0]);
  track(pid);
  return pid;
}

/** The lock and pidfile paths of a home. */
export function lockPaths(home: string): { lock: string; pid: string } {
  return { lock: path.join(home, '.bbia_sim.lock'), pid: path.join(home, '.bbia_sim.pid') };
}

/** Fails fast if a robot not started by these tests runs: the tests would refuse to start and must not kill it. */
export function assertNoForeignRobot(): void {
  const foreign = pidsMatching('launch_complete_robot.py').filter((p) => !started.has(p) && p !== process.pid);
  if (foreign.length > 0) {
    throw new Error(`a BBIA robot not started by these tests runs (PID ${foreign.join(', ')}); stop it before running the tests`);
  }
}

/**
 * Fails unless every BBIA process of the user now is one this test started: kill-all aims at all of
 * them, the tray's state counts them all, and a test must never signal anything it did not start.
 */
export async function assertEveryBbiaProcessOurs(home: string, cwd: string): Promise<void> {
  const { createEngine } = await import('../main/engine/engine.js');
  const { createPaths } = await import('../main/engine/paths.js');
  const targets = createEngine({ paths: createPaths({ home }), cwd }).planKillAll();
  const foreign = targets.filter((p) => started.get(p.pid) === undefined && !isStartedDescendant(p.ppid, targets));
  if (foreign.length > 0) {
    throw new Error(`BBIA processes these tests did not start are running (${foreign.map((p) => `PID ${p.pid}: ${p.command}`).join(', ')}); kill-all would hit them and the app would count them: stop them first`);
  }
}

function isStartedDescendant(ppid: number, targets: readonly { pid: number; ppid: number }[]): boolean {
  for (let pid = ppid, hops = 0; pid > 1 && hops < 50; hops++) {
    if (started.has(pid)) return true;
    const parent = targets.find((t) => t.pid === pid)?.ppid ?? ppidOf(pid);
    if (parent === undefined) return false;
    pid = parent;
  }
  return false;
}

afterEach(async () => {
  const killed: number[] = [];
  for (const [pid, ticks] of started) {
    // Only a process this test started: same PID and same start time
    if (ticks === undefined || startKey(pid) !== ticks) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // already gone
    }
  }
  started.clear();
  await allGone(killed, 5000);
});

afterAll(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
