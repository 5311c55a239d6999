import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Paths } from '../paths.js';
import type { InstanceRecord } from '../lock/pidfile.js';
import { SUPERVISOR_TAG } from '../scan/rules.js';
import type { ProcIdentity } from '../scan/proc/types.js';
import { schemaErrors } from './schema-check.js';
import type { Supervision } from './supervisor.js';

/** Carries Node's part of the detached instance (DetachedState), through the detached supervisor untouched, to the upkeep and the end. */
export const DETACHED_STATE_ENV = 'BBIA_SAFE_DETACHED_STATE';
/** Carries the detached supervisor's input (PythonState, checked against detached/state.schema.json on both sides). */
const PYTHON_STATE_ENV = 'BBIA_SAFE_PYTHON_STATE';
/** How the instance ended, as the detached supervisor saw it, for `__supervisor-end` (a DetachedEnd in JSON). */
export const END_ENV = 'BBIA_SAFE_END';
/** the detached supervisor's folder (supervise/detached/supervisor.py), imported by the loader (so that no install path shows in its command line). */
const PYTHON_DIR_ENV = 'BBIA_SAFE_PYTHON_DIR';
/** `node` keeps the Node supervisor for the whole run (no hand-over). */
export const SUPERVISOR_ENV = 'BBIA_SAFE_SUPERVISOR';
/** How often the detached supervisor looks at the lock and the log (two stat() calls); tests shorten it. */
export const SUPERVISOR_TICK_MS = Number(process.env.BBIA_SAFE_SUPERVISOR_TICK_MS) || 30_000;
/** The schema of the detached supervisor's input, beside supervisor.py (both sides read this same file). */
export const PYTHON_SCHEMA = 'state.schema.json';

/**
 * the detached supervisor's whole command line after `python -I -S -c`: it blocks the stop signals until supervisor.py
 * handles them, then runs it. It names no install path, so nothing in it matches a BBIA rule wherever
 * bbia-safe lives, and its first line tells scans it is bbia-safe itself (rules.ts).
 */
const LOADER =
  `${SUPERVISOR_TAG}\n` +
  'import os,sys,signal as s;s.pthread_sigmask(s.SIG_BLOCK,(s.SIGTERM,s.SIGINT,s.SIGHUP));' +
  "sys.path.insert(0,os.environ['BBIA_SAFE_PYTHON_DIR']);import supervisor;os._exit(supervisor.main())";

/** How the robot ended, as the detached supervisor saw it. */
export type DetachedEnd = { reason: 'exit'; exitCode: number | null; signal: string | null } | { reason: 'signal'; signal: string };

/** What the detached supervisor reads: exactly the fields of detached/state.schema.json. */
export interface PythonState {
  robotPid: number;
  tickMs: number;
  lockDir: string;
  robotLog: string;
  logMaxBytes: number;
  /** The Node executables to try, in order (nodeCandidates). */
  nodes: string[];
  /** Node's upkeep and end commands, after the Node executable. */
  upkeepArgv: string[];
  endArgv: string[];
  endDeadlineMs: number;
  supervisorLog: string;
}

/** Node's part of the detached instance: opaque to the detached supervisor, read back by the upkeep and the end. */
export interface DetachedState {
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
  /** the detached supervisor's folder (main/engine/supervise/detached, copied to out/cli/detached by the build). */
  pythonDir: string;
  logMaxBytes: number;
  stopTimeoutMs: number;
  supervisorLog: string;
  /** Node and the CLI entry, for `__supervisor-upkeep` and `__supervisor-end`. */
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
 * The Node executables the detached supervisor may run for its upkeep and end, in order: this one, then each
 * `node` on the PATH now, by absolute path only (a relative PATH entry would be resolved in the project
 * folder). The first may be gone by then (a Homebrew upgrade removes its versioned path); the PATH's
 * symlink usually survives it.
 */
export function nodeCandidates(first: string, pathVar = process.env.PATH ?? ''): string[] {
  const found = [first];
  for (const dir of pathVar.split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue;
    const node = path.join(dir, 'node');
    try {
      fs.accessSync(node, fs.constants.X_OK);
      if (!found.includes(node)) found.push(node);
    } catch {
      // not there, or not executable
    }
  }
  return found;
}

/**
 * Replaces this Node supervisor with the detached supervisor (supervise/detached/supervisor.py; execve: same PID and start time, so the lock and the
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
  const pythonFile = path.join(options.pythonDir, 'supervisor.py');
  if (!fs.existsSync(pythonFile)) return `${pythonFile} is missing`;
  const python = await pythonExecutable(options.python);
  if ('why' in python) return python.why;
  // The descendants so far (on macOS a `ps`): the end's stop looks for them too
  sup.track();
  await new Promise((resolve) => setImmediate(resolve));
  // Synchronous from here to execve: neither a signal handler nor Node's reaping of the robot can run in between
  const detaching = sup.detachable();
  if (!detaching) return 'the robot already ended, or a stop began';
  const { paths, node, entry } = options;
  const robot = { pid: detaching.record.pid, startKey: detaching.record.startKey };
  const state: DetachedState = { ...detaching, robot, robotLog: paths.robotLog, logMaxBytes: options.logMaxBytes, stopTimeoutMs: options.stopTimeoutMs };
  const input: PythonState = {
    robotPid: robot.pid,
    tickMs: SUPERVISOR_TICK_MS,
    lockDir: paths.lockFile,
    robotLog: paths.robotLog,
    logMaxBytes: options.logMaxBytes,
    nodes: nodeCandidates(node),
    upkeepArgv: [entry, '__supervisor-upkeep'],
    endArgv: [entry, '__supervisor-end'],
    endDeadlineMs: options.stopTimeoutMs + 30_000,
    supervisorLog: options.supervisorLog,
  };
  const mismatch = schemaErrors(input, path.join(options.pythonDir, PYTHON_SCHEMA));
  if (mismatch.length > 0) return `the detached supervisor's state does not match ${PYTHON_SCHEMA}: ${mismatch.join('; ')}`;
  try {
    // Node 24 aborts on a failed execve rather than throwing (nodejs/node#62878): the path was just run by the probe
    // -I: no user site, no PYTHON* variables; -S: no site module; -B: no bytecode written beside the sources
    const env = { ...process.env, [PYTHON_DIR_ENV]: options.pythonDir, [PYTHON_STATE_ENV]: JSON.stringify(input), [DETACHED_STATE_ENV]: JSON.stringify(state) };
    process.execve(python.exe, [python.exe, '-I', '-S', '-B', '-c', LOADER], env);
  } catch (error) {
    return `execve ${python.exe} failed: ${(error as Error).message}`;
  }
  return 'execve returned';
}

/** Node's part of the detached instance from the environment, or undefined when it is missing or malformed. */
export function detachedState(raw: string | undefined): DetachedState | undefined {
  try {
    const s = JSON.parse(raw ?? '') as DetachedState;
    return s.robot && s.record && typeof s.token === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** How the instance ended, from the detached supervisor's BBIA_SAFE_END, or undefined when it is missing or malformed. */
export function detachedEnd(raw: string | undefined, pythonDir: string): DetachedEnd | undefined {
  try {
    const end: unknown = JSON.parse(raw ?? '');
    return schemaErrors(end, path.join(pythonDir, PYTHON_SCHEMA), 'end').length === 0 ? (end as DetachedEnd) : undefined;
  } catch {
    return undefined;
  }
}
