import type { LogEvent } from '../../../common/i18n/engine-text.js';
import { lockExists } from './lock-files.js';
import type { Paths } from '../paths.js';
import { readPidfile, type InstanceRecord } from './pidfile.js';
import type { ProcEntry, ProcSource } from '../scan/proc/types.js';

/** A live instance: its record, its robot process, and whether its supervisor still holds it. */
export interface LiveInstance {
  /** The pidfile's record. */
  record: InstanceRecord;
  /** The robot as it runs now (identity checked). */
  robot: ProcEntry;
  /** `running` while its supervisor lives and holds the lock, else `orphaned`. */
  state: 'running' | 'orphaned';
  /** The supervisor, when it is still alive (identity checked). */
  supervisor?: ProcEntry;
}

/** What the lock files say, checked against the process table. */
export interface InstanceInspection {
  /** The live instance, if any. */
  live?: LiveInstance;
  /** The pidfile's text when it holds a record whose robot is gone (safe to remove). */
  deadRecordText?: string;
  /** A record (live or dead) whose supervisor is alive: the lock is in use. */
  supervisorAlive: boolean;
  /** True when the lock directory exists. */
  locked: boolean;
  /** Things the user should know (untrusted files, reused PIDs). */
  warnings: LogEvent[];
  /** True when the pidfile exists but cannot be trusted. */
  invalidPidfile: boolean;
}

/** True when the live process is the one the record describes: PID, start time and command. */
export function matchesRobot(live: ProcEntry | undefined, record: InstanceRecord): boolean {
  return live !== undefined && live.startKey === record.startKey && live.command.includes('launch_complete_robot.py');
}

/** Reads the pidfile and lock, and checks every PID they name against its recorded identity. */
export function inspectInstance(paths: Paths, source: ProcSource): InstanceInspection {
  const warnings: LogEvent[] = [];
  const locked = lockExists(paths);
  const pid = readPidfile(paths.pidFile);
  if (pid.kind === 'none') return { locked, warnings, supervisorAlive: false, invalidPidfile: false };
  if (pid.kind === 'invalid') {
    warnings.push({ key: 'pidfileUntrusted', vars: { file: paths.pidFile, why: pid.reason } });
    return { locked, warnings, supervisorAlive: false, invalidPidfile: true };
  }
  const { record } = pid;
  const supervisorEntry = source.read(record.supervisorPid);
  const supervisor = supervisorEntry?.startKey === record.supervisorStartKey ? supervisorEntry : undefined;
  const robot = source.read(record.pid);
  if (!robot || !matchesRobot(robot, record)) {
    if (robot) {
      warnings.push({ key: 'pidReused', vars: { pid: record.pid, file: paths.pidFile, command: robot.command } });
    }
    return { locked, warnings, supervisorAlive: supervisor !== undefined, deadRecordText: pid.text, invalidPidfile: false };
  }
  const state = supervisor && locked ? 'running' : 'orphaned';
  return {
    live: { record, robot, state, supervisor },
    locked,
    warnings,
    supervisorAlive: supervisor !== undefined,
    invalidPidfile: false,
  };
}
