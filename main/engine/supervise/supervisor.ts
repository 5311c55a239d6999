import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { BbiaError, ExitCode } from '../errors.js';
import { inspectInstance } from '../lock/instance.js';
import { resolveInterpreter, robotArgs, type Mode } from './launch.js';
import { acquireLock, type HeldLock } from '../lock/lock.js';
import { capLog, rotateLog, runHeader, tailRun } from './log-file.js';
import { logLine, type EngineLog, type TextRef } from '../../../common/i18n/engine-text.js';
import { settleExit } from './settle-exit.js';
import type { Paths } from '../paths.js';
import { quarantinePidfile, removePidfileIf, formatPidfile, writePidfile, type InstanceRecord } from '../lock/pidfile.js';
import { isAlive, type ProcEntry, type ProcIdentity, type ProcSource } from '../scan/proc/types.js';
import type { Scanner } from '../scan/scan.js';
import { TreeTracker } from './tracking.js';
import { INSTANCE_ENV, instanceMark, instanceMarkValue, stopTree, type StopReport } from './stop-tree.js';

/** What {@link startSupervision} needs. */
export interface SuperviseOptions {
  /** Start mode. */
  mode: Mode;
  /** Project folder (already validated). */
  projectDir: string;
  /** Extra `--duration S`. */
  duration?: number;
  /** Arguments after the mode's flags, as they are: the robotArgs setting, then `start -- ARGS`. */
  extraArgs?: readonly string[];
  /** Python interpreter (name or path). */
  python: string;
  /** Grace period between SIGTERM and SIGKILL. */
  stopTimeoutMs: number;
  /**
   * How often the log's size is checked and, where the platform lists children without a fork (Linux),
   * the tree walked to remember descendants that leave it. Nothing on this timer forks.
   */
  pollMs: number;
  /** Where events worth keeping are written; a text (not a plain string) is also for the user to see. */
  log: EngineLog;
  /** Platform deciding the interpreter (mjpython on macOS). */
  platform?: NodeJS.Platform;
  /** Size cap of the robot log. */
  logMaxBytes?: number;
}

/** How a supervised instance ended. */
export interface SupervisionEnd {
  /** The robot's exit code, when it exited. */
  exitCode: number | null;
  /** The signal that ended the robot, when one did. */
  signal: string | null;
  /** Set when the instance was stopped on request (the signal the supervisor received, or 'stop'). */
  stoppedBy?: string;
  /** The tree stop, when one ran. */
  report?: StopReport;
  /** The last lines of the robot's log (this run's) when it exited on its own. */
  lastLines?: string[];
  /** True when it was a normal end: a timed run (test mode or `--duration`) that exited 0. */
  finished?: boolean;
}

/**
 * A running supervised instance. Its descendants are remembered (by identity) for the stop, fed without a
 * fork of their own: on Linux its timer walks /proc; in the app, on both platforms, every poll hands it the
 * rows it read (`observe`, monitor.ts), so on macOS one `ps` a poll serves both. The foreground `start`
 * has no poll: on macOS its stop finds what left the tree then (group, parent links, the instance mark).
 */
export interface Supervision {
  /** The pidfile record. */
  record: InstanceRecord;
  /** Where this run's output begins in the robot log (just after its run header). */
  logStart: number;
  /** True once the robot was reaped or a stop began (synchronous, unlike `done`). */
  over(): boolean;
  /** Resolves once the robot is gone and the lock files are removed. */
  done: Promise<SupervisionEnd>;
  /** Stops the whole tree, then removes the lock files. */
  stop(reason: string): Promise<SupervisionEnd>;
  /** Walks the robot's tree now, remembering every descendant (by identity) for the stop; on macOS a `ps`. */
  track(): void;
  /** Remembers the robot's descendants among `rows`, a whole process table of this user read by a poll (no read of its own). */
  observe(rows: readonly ProcEntry[]): void;
  /** What another process needs to keep the instance (detached.ts); undefined once the robot exited or a stop began. */
  detachable(): DetachableInstance | undefined;
}

/** An instance as handed from one supervising program to another: same PID, same lock (detached.ts). */
export interface DetachableInstance {
  /** The pidfile record. */
  record: InstanceRecord;
  /** The pidfile's text as written: removed at the end only if it is still this. */
  ownText: string;
  /** The lock owner token. */
  token: string;
  /** Descendants remembered so far. */
  tracked: ProcIdentity[];
}

/** Dependencies shared with the engine. */
export interface SupervisorDeps {
  /** State paths. */
  paths: Paths;
  /** Process reader. */
  source: ProcSource;
  /** Scanner used for the robot checks. */
  scanner: Scanner;
  /** Project roots for the scans. */
  projectRoots: string[];
}

/** The refusal for an instance that still runs whatever the lock says (supervised or orphaned), if any. */
function runningInstance(deps: SupervisorDeps): TextRef | undefined {
  const live = inspectInstance(deps.paths, deps.source).live;
  if (live?.supervisor) return { key: 'instanceRunning', vars: { pid: live.robot.pid, mode: live.record.mode, sup: live.record.supervisorPid } };
  if (live) return { key: 'orphanRunning', vars: { pid: live.robot.pid } };
  return undefined;
}

/** Refuses (exit 3, naming the PID) while any BBIA robot runs: an instance, an orphan, or one started by hand. */
export function refuseExisting(deps: SupervisorDeps): void {
  const running = runningInstance(deps);
  if (running) throw BbiaError.of(running.key, running.vars, ExitCode.refused);
  const robot = deps.scanner.scan({ projectRoots: deps.projectRoots, exclude: new Set([process.pid]) }).bbia.find((p) => p.kind === 'robot');
  if (robot) {
    throw BbiaError.of('handRobot', { pid: robot.pid, command: robot.command }, ExitCode.refused);
  }
}

/** Launches the robot under this process's supervision: refusals first, then the lock, the spawn and the pidfile. */
export async function startSupervision(deps: SupervisorDeps, options: SuperviseOptions): Promise<Supervision> {
  const { paths, source } = deps;
  try {
    fs.mkdirSync(path.dirname(paths.robotLog), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw BbiaError.of('logDirFailed', { dir: path.dirname(paths.robotLog), why: (error as Error).message, home: paths.home });
  }
  const interpreter = resolveInterpreter(options.python, options.mode, options.platform, options.projectDir);
  const selfEntry = source.read(process.pid);
  // The lock owner names this identity; without a start time it would read as no owner, and go stale in 10 s
  if (!selfEntry?.startKey) throw BbiaError.of('selfUnreadable', { pid: process.pid });
  refuseExisting(deps);

  let lock: HeldLock;
  let ownText = '';
  let child: ProcIdentity | undefined;
  const self = { pid: process.pid, startKey: selfEntry.startKey };
  const supervisor = { supervisorPid: self.pid, supervisorStartKey: self.startKey };
  const mark = instanceMark(supervisor);
  lock = await acquireLock(paths, {
    self,
    isAlive: (id) => isAlive(source, id),
    runningInstance: () => runningInstance(deps),
    log: options.log,
    stillOwner: () => ownText !== '' && child !== undefined && isAlive(source, child),
  });
  let logFd: number | undefined;
  try {
    const leftover = inspectInstance(paths, source);
    if (leftover.deadRecordText) removePidfileIf(paths.pidFile, leftover.deadRecordText);
    if (leftover.invalidPidfile) {
      const aside = quarantinePidfile(paths.pidFile);
      // Most often the old bbia_safe.sh's pidfile (the PID alone): the user is told where it went
      options.log(`${paths.pidFile} was not trusted (${leftover.warnings.map((w) => logLine('en', w)).join('; ')})`);
      options.log({ key: 'oldPidfileSetAside', vars: { file: paths.pidFile, aside: aside ?? '?' } });
    }
    // Second guard behind the lock: a robot that appeared while we raced for it
    refuseExisting(deps);

    rotateLog(paths.robotLog, options.logMaxBytes);
    logFd = fs.openSync(paths.robotLog, 'a', 0o600);
    const args = robotArgs(options.mode, options.duration, options.extraArgs);
    const display = `${path.basename(interpreter)} ${args.join(' ')}`;
    fs.writeSync(logFd, `${runHeader(new Date(), display, options.projectDir)}${os.EOL}`);
    const logStart = fs.fstatSync(logFd).size;
    const subprocess = execa(interpreter, args, {
      cwd: options.projectDir,
      detached: true,
      cleanup: false,
      reject: false,
      stdin: 'ignore',
      // A raw descriptor, not a pipe through us: the robot keeps writing its log even if the supervisor is killed
      // (execa accepts integer descriptors at run time; its types only list 1 and 2)
      stdout: logFd as 1,
      stderr: logFd as 2,
      // Inherited by every descendant: a stop finds even those that daemonized away from the robot
      env: { PYTHONUNBUFFERED: '1', [INSTANCE_ENV]: instanceMarkValue(supervisor) },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        subprocess.nodeChildProcess.once('spawn', resolve);
        subprocess.nodeChildProcess.once('error', reject);
      });
    } catch (error) {
      throw BbiaError.of('launchFailed', { command: display, why: (error as Error).message, interpreter });
    } finally {
      fs.closeSync(logFd);
      logFd = undefined;
    }
    const pid = subprocess.pid!;
    const entry = source.read(pid);
    if (!entry) {
      const result = await subprocess;
      throw BbiaError.of('exitedAtOnce', { how: String(result.exitCode ?? result.signal), lines: tailRun(paths.robotLog, 5).join(' | '), log: paths.robotLog });
    }
    child = { pid, startKey: entry.startKey };
    // Final guard: the owner claim inside the lock is ours still, after the spawn; a racer that lost yields here
    if (!lock.isOurs()) {
      await stopTree(source, child, { timeoutMs: options.stopTimeoutMs, immediate: true, mark });
      throw BbiaError.of('lockYield', {}, ExitCode.refused);
    }
    const record: InstanceRecord = {
      v: 1,
      pid,
      startKey: entry.startKey,
      startedAt: new Date(entry.startedAt).toISOString(),
      command: display,
      mode: options.mode,
      cwd: options.projectDir,
      ...supervisor,
      logFile: paths.robotLog,
    };
    try {
      writePidfile(paths.pidFile, record);
    } catch (error) {
      await stopTree(source, child, { timeoutMs: options.stopTimeoutMs, mark });
      throw error;
    }
    ownText = formatPidfile(record);
    const robot = subprocess.nodeChildProcess;
    const exited = () => robot.exitCode !== null || robot.signalCode !== null;
    return supervise(deps, options, { subprocess, exited, record, ownText, lock, child, logStart });
  } catch (error) {
    if (logFd !== undefined) fs.closeSync(logFd);
    await lock.release();
    throw error;
  }
}

interface Running {
  subprocess: PromiseLike<{ exitCode?: number; signal?: string }>;
  /** True once the robot was reaped (synchronous, unlike the promise). */
  exited: () => boolean;
  record: InstanceRecord;
  ownText: string;
  lock: HeldLock;
  child: ProcIdentity;
  logStart: number;
}

function supervise(deps: SupervisorDeps, options: SuperviseOptions, run: Running): Supervision {
  const { paths, source } = deps;
  const tree = new TreeTracker(source, run.child);
  const mark = instanceMark(run.record);
  const walk = () => tree.walk();
  // The tick: the tree is walked here only where that forks nothing (Linux); on macOS the poll's rows feed
  // `observe` instead. The log's size is a stat on both
  const track = () => {
    if (source.children) walk();
    capLog(paths.robotLog, options.logMaxBytes);
    run.lock.keep();
  };
  const timer = setInterval(track, options.pollMs);
  timer.unref();
  let stopping: Promise<SupervisionEnd> | undefined;
  let stoppedBy: string | undefined;
  let report: StopReport | undefined;

  const finish = async (): Promise<SupervisionEnd> => {
    const result = await run.subprocess;
    clearInterval(timer);
    const how = { exitCode: result.exitCode ?? null, signal: result.signal ?? null };
    let lastLines: string[] | undefined;
    let finished: boolean | undefined;
    if (!stoppedBy) {
      const settled = await settleExit({ paths, source, log: options.log }, { ...run, tracked: tree.known(), stopTimeoutMs: options.stopTimeoutMs }, how);
      ({ stoppedBy, report, lastLines, finished } = settled);
    } else if (stopping) {
      await stopping;
    }
    removePidfileIf(paths.pidFile, run.ownText);
    await run.lock.release();
    return { ...how, stoppedBy, report, lastLines, finished };
  };
  const done = finish();

  return {
    record: run.record,
    logStart: run.logStart,
    over: () => stoppedBy !== undefined || run.exited(),
    done,
    stop(reason: string) {
      if (!stoppedBy) {
        stoppedBy = reason;
        // Where a walk forks (macOS) the stop's own read of the table finds the tree, the tracked and the marked
        if (source.children) walk();
        stopping = stopTree(source, run.child, { timeoutMs: options.stopTimeoutMs, tracked: tree.known(), mark }).then((r) => {
          report = r;
          return { exitCode: null, signal: null, stoppedBy: reason, report: r };
        });
      }
      return done;
    },
    track: walk,
    observe(rows) {
      if (stoppedBy || run.exited()) return;
      tree.observe(rows);
    },
    detachable() {
      if (stoppedBy || run.exited()) return undefined;
      return { record: run.record, ownText: run.ownText, token: run.lock.token, tracked: tree.known() };
    },
  };
}
