// Timed runs of the bbia-safe command line against a temp HOME: start --detach, stop, and what they leave.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN } from './env.ts';
import { alive, track, waitUntil } from './procs.ts';

/** A temp HOME with the project copy, as {@link sandbox} makes it. */
export interface Sandbox {
  /** The temp HOME. */
  home: string;
  /** The BBIA-like project inside it. */
  project: string;
  /** Where the fake robot writes {pid, tree} once everything is up. */
  ready: string;
}

/** Runs the CLI without waiting; resolves `exited` with the ms from `t0` and the exit code. */
export function cliSpawn(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; t0?: number }): { child: ChildProcess; exited: Promise<{ ms: number; code: number | null; stderr: string }> } {
  const t0 = opts.t0 ?? performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (child.pid) track(child.pid);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ ms: number; code: number | null; stderr: string }>((resolve) => {
    child.on('error', () => resolve({ ms: performance.now() - t0, code: -1, stderr }));
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code, stderr }));
  });
  return { child, exited };
}

/** The pidfile's robot PID and supervisor PID, when it is there and complete. */
export function readPidfile(home: string): { pid: number; supervisorPid?: number } | undefined {
  try {
    const [first, second] = fs.readFileSync(path.join(home, '.bbia_sim.pid'), 'utf8').split('\n');
    const pid = Number(first);
    if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
    let supervisorPid: number | undefined;
    try {
      supervisorPid = (JSON.parse(second ?? '') as { supervisorPid?: number }).supervisorPid;
    } catch {
      // record not there
    }
    return { pid, supervisorPid };
  } catch {
    return undefined;
  }
}

/** True when the lock is held and the pidfile names a live robot: "the robot running with the lock held". */
export function lockedAndRunning(home: string): boolean {
  if (!fs.existsSync(path.join(home, '.bbia_sim.lock'))) return false;
  const rec = readPidfile(home);
  return rec !== undefined && alive(rec.pid);
}

/** True when neither lock file is left. */
export function unlocked(home: string): boolean {
  return !fs.existsSync(path.join(home, '.bbia_sim.lock')) && !fs.existsSync(path.join(home, '.bbia_sim.pid'));
}

/** Reads the fake robot's ready file once it is there (tracking every PID in it). */
export async function readyTree(ready: string, timeoutMs = 20_000): Promise<{ pid: number; tree: number[] }> {
  if ((await waitUntil(() => fs.existsSync(ready), performance.now(), timeoutMs, 2)) === undefined) throw new Error(`the fake robot never wrote ${ready}`);
  const data = JSON.parse(fs.readFileSync(ready, 'utf8')) as { pid: number; tree: number[] };
  track(data.pid, ...data.tree);
  return data;
}

/** Timings of one `start headless --detach`, ms from the command. */
export interface StartTimes {
  /** Lock held and the pidfile naming a live PID. */
  locked: number;
  /** The command returned. */
  exited: number;
  /** The robot wrote its ready file (every process of its tree up). */
  ready: number;
  /** The robot and the rest of its tree. */
  robot: { pid: number; tree: number[] };
  /** The background supervisor. */
  supervisorPid: number;
}

/** `bbia-safe start headless --detach` in the project, timed to the lock, the command's exit and the robot's ready file. */
export async function timedStart(sb: Sandbox, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<StartTimes> {
  fs.rmSync(sb.ready, { force: true });
  const t0 = performance.now();
  const { exited } = cliSpawn(['start', 'headless', '--detach'], { cwd: sb.project, env: { ...env, BBIA_FAKE_READY: sb.ready }, t0 });
  let exit: { ms: number; code: number | null; stderr: string } | undefined;
  void exited.then((e) => (exit = e));
  const locked = await waitUntil(() => lockedAndRunning(sb.home) || (exit !== undefined && exit.code !== 0), t0, timeoutMs);
  const rec = readPidfile(sb.home);
  if (rec) track(rec.pid, ...(rec.supervisorPid ? [rec.supervisorPid] : []));
  const ready = await waitUntil(() => fs.existsSync(sb.ready) || (exit !== undefined && exit.code !== 0), t0, timeoutMs);
  const e = await exited;
  if (e.code !== 0 || locked === undefined || ready === undefined || !rec) throw new Error(`start failed (exit ${e.code}): ${e.stderr.trim()}`);
  const robot = await readyTree(sb.ready);
  return { locked, exited: e.ms, ready, robot, supervisorPid: rec.supervisorPid ?? 0 };
}

/** Timings of one `stop`, ms from the command. */
export interface StopTimes {
  /** Every PID of the tree gone (or a zombie). */
  gone?: number;
  /** The command returned. */
  exited: number;
  /** Lock and pidfile removed. */
  unlocked?: number;
  /** Its exit code. */
  code: number | null;
  /** PIDs still alive when the wait ended. */
  left: number[];
}

/** `bbia-safe stop --force [...]`, timed until every PID of `pids` is gone, polling /proc every ~1 ms. */
export async function timedStop(sb: Sandbox, env: NodeJS.ProcessEnv, pids: number[], extra: string[] = [], timeoutMs = 15_000): Promise<StopTimes> {
  const t0 = performance.now();
  const { exited } = cliSpawn(['stop', '--force', ...extra], { cwd: sb.home, env, t0 });
  const gone = await waitUntil(() => pids.every((p) => !alive(p)), t0, timeoutMs);
  const e = await exited;
  const unlockedAt = await waitUntil(() => unlocked(sb.home), t0, timeoutMs);
  return { gone, exited: e.ms, unlocked: unlockedAt, code: e.code, left: pids.filter(alive) };
}
