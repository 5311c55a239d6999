import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Paths } from './paths.js';
import type { InstanceRecord } from './pidfile.js';
import { KEEPER_TAG } from './rules.js';
import type { ProcIdentity } from './proc/types.js';
import { schemaErrors } from './schema-check.js';
import type { Supervision } from './supervisor.js';

/** Carries Node's part of the kept instance (KeeperState), through the waiter untouched, to the upkeep and the end. */
export const KEEPER_STATE_ENV = 'BBIA_SAFE_KEEPER_STATE';
/** Carries the waiter's input (WaiterState, checked against keeper/state.schema.json on both sides). */
const WAITER_STATE_ENV = 'BBIA_SAFE_WAITER_STATE';
/** How the instance ended, as the waiter saw it, for `__keeper-end` (a KeeperEnd in JSON). */
export const END_ENV = 'BBIA_SAFE_END';
/** The waiter's folder (keeper/waiter.py), imported by the loader (so that no install path shows in its command line). */
const KEEPER_DIR_ENV = 'BBIA_SAFE_KEEPER';
/** `node` keeps the Node supervisor for the whole run (no hand-over). */
export const SUPERVISOR_ENV = 'BBIA_SAFE_SUPERVISOR';
/** How often the waiter looks at the lock and the log (two stat() calls); tests shorten it. */
export const SUPERVISOR_TICK_MS = Number(process.env.BBIA_SAFE_SUPERVISOR_TICK_MS) || 30_000;
/** The schema of the waiter's input, beside waiter.py (both sides read this same file). */
export const WAITER_SCHEMA = 'state.schema.json';

/**
 * The waiter's whole command line after `python -I -S -c`: it blocks the stop signals until waiter.py
 * handles them, then runs it. It names no install path, so nothing in it matches a BBIA rule wherever
 * bbia-safe lives, and its first line tells scans it is bbia-safe itself (rules.ts).
 */
const LOADER =
  `${KEEPER_TAG}\n` +
  'import os,sys,signal as s;s.pthread_sigmask(s.SIG_BLOCK,(s.SIGTERM,s.SIGINT,s.SIGHUP));' +
  "sys.path.insert(0,os.environ['BBIA_SAFE_KEEPER']);import waiter;os._exit(waiter.main())";

/** How the kept robot ended, as the waiter saw it. */
export type KeeperEnd = { reason: 'exit'; exitCode: number | null; signal: string | null } | { reason: 'signal'; signal: string };

/** What the waiter reads: exactly the fields of keeper/state.schema.json. */
export interface WaiterState {
  robotPid: number;
  tickMs: number;
  lockDir: string;
  robotLog: string;
  logMaxBytes: number;
  /** Node's upkeep and end commands; argv[0] is the Node executable. */
  upkeepArgv: string[];
  endArgv: string[];
  endDeadlineMs: number;
  supervisorLog: string;
}

/** Node's part of the kept instance: opaque to the waiter, read back by the upkeep and the end. */
export interface KeeperState {
  /** The robot. */
  robot: ProcIdentity;
  /** Its pidfile record, and the text written (removed at the end only if unchanged). */
  record: InstanceRecord;
  ownText: string;
  /** The lock owner token (this process's identity: unchanged by execve). */
  token: string;
  /** Descendants remembered before the hand-over. */
  tracked: ProcIdentity[];
  robotLog: string;
  logMaxBytes: number;
  stopTimeoutMs: number;
}

/** What {@link handOver} needs besides the supervision. */
export interface HandOverOptions {
  paths: Paths;
  /** The Python interpreter of the settings. */
  python: string;
  /** The waiter's folder (main/engine/keeper, copied to out/cli/keeper by the build). */
  keeperDir: string;
  logMaxBytes: number;
  stopTimeoutMs: number;
  supervisorLog: string;
  /** Node and the CLI entry, for `__keeper-upkeep` and `__keeper-end`. */
  node: string;
  entry: string;
}

/** The absolute path of `python` when it is a Python 3.8 or later, else why not (asynchronous: a stop signal meanwhile is handled). */
function pythonExecutable(python: string): Promise<{ exe: string } | { why: string }> {
  const probe = 'import sys\nif sys.version_info < (3, 8): sys.exit(3)\nprint(sys.executable)';
  return new Promise((resolve) => {
    execFile(python, ['-I', '-S', '-c', probe], { encoding: 'utf8', timeout: 10_000 }, (error, stdout) => {
      const exe = stdout.trim();
      if (!error && path.isAbsolute(exe)) resolve({ exe });
      else resolve({ why: `${python} is not a Python 3.8 or later (${error?.message.split('\n')[0] ?? `printed ${JSON.stringify(exe)}`})` });
    });
  });
}

/**
 * Replaces this Node supervisor with the waiter (keeper/waiter.py; execve: same PID and start time, so the lock and the
 * robot stay its own). Never returns when it succeeds; otherwise returns why not, and Node supervises on.
 * Everything slow happens before the last turn of the event loop, so a stop signal that arrived meanwhile
 * is handled (the stop begins, and there is no hand-over); only the synchronous step from the last check
 * to execve (well under a millisecond), and Python's start-up until the loader blocks the stop signals
 * (a few milliseconds), remain. A signal in the first is lost, one in the second ends the process as
 * SIGKILL would: the robot is then reported orphaned, and `bbia-safe stop` ends it.
 */
export async function handOver(sup: Supervision, options: HandOverOptions): Promise<string> {
  if (typeof process.execve !== 'function') return `Node ${process.version} has no process.execve (22.15 or later)`;
  if (process.env[SUPERVISOR_ENV] === 'node') return `${SUPERVISOR_ENV}=node`;
  const waiterFile = path.join(options.keeperDir, 'waiter.py');
  if (!fs.existsSync(waiterFile)) return `${waiterFile} is missing`;
  const python = await pythonExecutable(options.python);
  if ('why' in python) return python.why;
  // The descendants so far (on macOS a `ps`): the end's stop looks for them too
  sup.track();
  await new Promise((resolve) => setImmediate(resolve));
  // Synchronous from here to execve: neither a signal handler nor Node's reaping of the robot can run in between
  const kept = sup.keepable();
  if (!kept) return 'the robot already ended, or a stop began';
  const { paths, node, entry } = options;
  const robot = { pid: kept.record.pid, startKey: kept.record.startKey };
  const state: KeeperState = { ...kept, robot, robotLog: paths.robotLog, logMaxBytes: options.logMaxBytes, stopTimeoutMs: options.stopTimeoutMs };
  const waiter: WaiterState = {
    robotPid: robot.pid,
    tickMs: SUPERVISOR_TICK_MS,
    lockDir: paths.lockFile,
    robotLog: paths.robotLog,
    logMaxBytes: options.logMaxBytes,
    upkeepArgv: [node, entry, '__keeper-upkeep'],
    endArgv: [node, entry, '__keeper-end'],
    endDeadlineMs: options.stopTimeoutMs + 30_000,
    supervisorLog: options.supervisorLog,
  };
  const mismatch = schemaErrors(waiter, path.join(options.keeperDir, WAITER_SCHEMA));
  if (mismatch.length > 0) return `the waiter's state does not match ${WAITER_SCHEMA}: ${mismatch.join('; ')}`;
  try {
    // Node 24 aborts on a failed execve rather than throwing (nodejs/node#62878): the path was just run by the probe
    // -I: no user site, no PYTHON* variables; -S: no site module; -B: no bytecode written beside the sources
    const env = { ...process.env, [KEEPER_DIR_ENV]: options.keeperDir, [WAITER_STATE_ENV]: JSON.stringify(waiter), [KEEPER_STATE_ENV]: JSON.stringify(state) };
    process.execve(python.exe, [python.exe, '-I', '-S', '-B', '-c', LOADER], env);
  } catch (error) {
    return `execve ${python.exe} failed: ${(error as Error).message}`;
  }
  return 'execve returned';
}

/** Node's part of the kept instance from the environment, or undefined when it is missing or malformed. */
export function keeperState(raw: string | undefined): KeeperState | undefined {
  try {
    const s = JSON.parse(raw ?? '') as KeeperState;
    return s.robot && s.record && typeof s.token === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** How the instance ended, from the waiter's BBIA_SAFE_END, or undefined when it is missing or malformed. */
export function keeperEnd(raw: string | undefined): KeeperEnd | undefined {
  try {
    const end = JSON.parse(raw ?? '') as KeeperEnd;
    return end.reason === 'signal' || end.reason === 'exit' ? end : undefined;
  } catch {
    return undefined;
  }
}
