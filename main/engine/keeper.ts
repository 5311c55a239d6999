import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { releaseOwned } from './lock-files.js';
import type { Paths } from './paths.js';
import { removePidfileIf, type InstanceRecord } from './pidfile.js';
import { KEEPER_TAG } from './rules.js';
import type { ProcIdentity, ProcSource } from './proc/types.js';
import { instanceMark, stopTree } from './stop-tree.js';
import { settleExit } from './settle-exit.js';
import type { Supervision, SupervisionEnd } from './supervisor.js';

/** Carries the kept instance to the keeper (keeper/) and back to Node for the end. */
export const KEEPER_STATE_ENV = 'BBIA_SAFE_KEEPER_STATE';
/** The keeper's folder (keeper/*.py), imported by the loader (so that no install path shows in its command line). */
const KEEPER_DIR_ENV = 'BBIA_SAFE_KEEPER';
/** `node` keeps the Node supervisor for the whole run (no hand-over). */
export const SUPERVISOR_ENV = 'BBIA_SAFE_SUPERVISOR';

/**
 * The keeper's whole command line after `python -I -S -c`: it blocks the stop signals until keeper/
 * handles them, then runs the file. It names no install path, so nothing in it matches a BBIA rule
 * wherever bbia-safe lives, and its first line tells scans it is bbia-safe itself (rules.ts).
 */
const LOADER =
  `${KEEPER_TAG}\n` +
  'import os,sys,signal as s;s.pthread_sigmask(s.SIG_BLOCK,(s.SIGTERM,s.SIGINT,s.SIGHUP));' +
  "sys.path.insert(0,os.environ['BBIA_SAFE_KEEPER']);import main;os._exit(main.main())";

/** How the kept robot ended, as the keeper saw it. */
export type KeeperEnd = { reason: 'exit'; exitCode: number | null; signal: string | null } | { reason: 'signal'; signal: string };

/** Everything the keeper and the end need: the instance, its lock, and how to call Node back. */
export interface KeeperState {
  /** The robot. */
  robot: ProcIdentity;
  /** Its pidfile record, and the text written (removed at the end only if unchanged). */
  record: InstanceRecord;
  ownText: string;
  /** The lock owner token (this process's identity: unchanged by execve). */
  token: string;
  /** Descendants remembered so far. */
  tracked: ProcIdentity[];
  lockFile: string;
  pidFile: string;
  robotLog: string;
  supervisorLog: string;
  logMaxBytes: number;
  stopTimeoutMs: number;
  /** Lock refresh, log cap and tracking period. */
  tickMs: number;
  /** `proc`: walk /proc/<pid>/task/<tid>/children (Linux); `ps`: one `ps -x` a tick (macOS). */
  tracking: 'proc' | 'ps';
  /** Node, its flags and the CLI entry, for `__keeper-end`. */
  node: string;
  nodeFlags: string[];
  entry: string;
  /** Set by the keeper when it hands the end back. */
  end?: KeeperEnd;
}

/** What {@link handOver} needs besides the supervision. */
export type HandOverOptions = Omit<KeeperState, 'robot' | 'record' | 'ownText' | 'token' | 'tracked' | 'end' | 'lockFile' | 'pidFile' | 'robotLog'> & {
  paths: Paths;
  /** The Python interpreter of the settings. */
  python: string;
  /** The keeper's folder (main/engine/keeper, copied to out/cli/keeper by the build). */
  keeperDir: string;
};

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
 * Replaces this Node supervisor with the keeper (execve: same PID and start time, so the lock and the
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
  if (!fs.existsSync(path.join(options.keeperDir, 'main.py'))) return `${options.keeperDir}/main.py is missing`;
  const python = await pythonExecutable(options.python);
  if ('why' in python) return python.why;
  // The descendants so far (on macOS a `ps`): those that left the tree before the keeper could adopt them
  sup.track();
  await new Promise((resolve) => setImmediate(resolve));
  // Synchronous from here to execve: neither a signal handler nor Node's reaping of the robot can run in between
  const kept = sup.keepable();
  if (!kept) return 'the robot already ended, or a stop began';
  const { paths, python: _python, keeperDir, ...rest } = options;
  const robot = { pid: kept.record.pid, startKey: kept.record.startKey };
  const state: KeeperState = { ...rest, ...kept, robot, lockFile: paths.lockFile, pidFile: paths.pidFile, robotLog: paths.robotLog };
  try {
    // Node 24 aborts on a failed execve rather than throwing (nodejs/node#62878): the path was just run by the probe
    // -I: no user site, no PYTHON* variables; -S: no site module; -B: no bytecode written beside the sources
    process.execve(python.exe, [python.exe, '-I', '-S', '-B', '-c', LOADER], { ...process.env, [KEEPER_DIR_ENV]: keeperDir, [KEEPER_STATE_ENV]: JSON.stringify(state) });
  } catch (error) {
    return `execve ${python.exe} failed: ${(error as Error).message}`;
  }
  return 'execve returned';
}

/** The keeper's state from the environment, or undefined when it is missing or malformed. */
export function keeperState(raw: string | undefined): KeeperState | undefined {
  try {
    const s = JSON.parse(raw ?? '') as KeeperState;
    return s.end && s.robot && s.record && typeof s.token === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `__keeper-end`: Node's part of the end of a kept instance, run by the keeper as its child. A stop
 * signal stops the whole tree; an exit is settled as the Node supervisor settles it. Then the pidfile
 * and the lock go, if they are still this instance's.
 */
export async function endKept(deps: { paths: Paths; source: ProcSource; log: (message: string) => void }, state: KeeperState): Promise<SupervisionEnd> {
  const { paths, source, log } = deps;
  const end = state.end!;
  let result: SupervisionEnd;
  if (end.reason === 'signal') {
    log(`stopping on ${end.signal}`);
    const report = await stopTree(source, state.robot, { timeoutMs: state.stopTimeoutMs, tracked: state.tracked, mark: instanceMark(state.record) });
    result = { exitCode: null, signal: null, stoppedBy: end.signal, report };
  } else {
    const how = { exitCode: end.exitCode, signal: end.signal };
    result = { ...how, ...(await settleExit(deps, { child: state.robot, record: state.record, tracked: state.tracked, stopTimeoutMs: state.stopTimeoutMs }, how)) };
  }
  removePidfileIf(paths.pidFile, state.ownText);
  releaseOwned(paths.lockFile, state.token);
  return result;
}
