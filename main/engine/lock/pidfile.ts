import fs from 'node:fs';
import type { Mode } from '../supervise/launch.js';
import { moveAside, readNoFollow, writeAtomic } from '../safe-fs.js';

/** The identity record of the running instance, stored after the PID line of `~/.bbia_sim.pid`. */
export interface InstanceRecord {
  /** Format version. */
  v: 1;
  /** The robot's PID (also the file's first line). */
  pid: number;
  /** The robot's start time key. */
  startKey: string;
  /** The robot's start time, ISO 8601. */
  startedAt: string;
  /** The command as the user would type it. */
  command: string;
  /** Mode it was started in. */
  mode: Mode;
  /** Project folder it runs in. */
  cwd: string;
  /** The supervising process (tray app or `bbia-safe start`). */
  supervisorPid: number;
  /** The supervisor's start time key. */
  supervisorStartKey: string;
  /** Where the robot's output goes. */
  logFile: string;
}

/** What the pidfile holds: nothing, a trusted record, or something reported and not trusted. */
export type PidfileState =
  | { kind: 'none' }
  | { kind: 'ok'; record: InstanceRecord; text: string }
  | { kind: 'invalid'; reason: string; pid?: number };

/** Renders the pidfile: the PID alone on the first line (the seed's tools read it that way), then the record. */
export function formatPidfile(record: InstanceRecord): string {
  return `${record.pid}\n${JSON.stringify(record)}\n`;
}

function isRecord(value: unknown, pid: number): value is InstanceRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    r.v === 1 &&
    r.pid === pid &&
    typeof r.startKey === 'string' &&
    typeof r.startedAt === 'string' &&
    typeof r.command === 'string' &&
    typeof r.mode === 'string' &&
    typeof r.cwd === 'string' &&
    Number.isSafeInteger(r.supervisorPid) &&
    typeof r.supervisorStartKey === 'string' &&
    typeof r.logFile === 'string'
  );
}

/** Parses pidfile text; anything short of a complete record is invalid. */
export function parsePidfile(text: string): PidfileState {
  const [first = '', second = ''] = text.split('\n');
  if (!/^\d{1,10}$/.test(first.trim())) return { kind: 'invalid', reason: 'its first line is not a PID' };
  const pid = Number(first.trim());
  if (pid <= 0) return { kind: 'invalid', reason: 'its PID is not positive' };
  if (second.trim() === '') return { kind: 'invalid', reason: 'it records a PID but no identity (start time, command)', pid };
  try {
    const record: unknown = JSON.parse(second);
    if (isRecord(record, pid)) return { kind: 'ok', record, text };
  } catch {
    // fall through
  }
  return { kind: 'invalid', reason: 'its identity record is truncated or malformed', pid };
}

/** Reads the pidfile without following a symlink. */
export function readPidfile(file: string): PidfileState {
  const read = readNoFollow(file);
  if (read.kind === 'missing') return { kind: 'none' };
  if (read.kind === 'invalid') return { kind: 'invalid', reason: read.reason };
  if (read.text.trim() === '') return { kind: 'invalid', reason: 'it is empty' };
  return parsePidfile(read.text);
}

/** Writes the pidfile atomically, owner-only. */
export function writePidfile(file: string, record: InstanceRecord): void {
  writeAtomic(file, formatPidfile(record));
}

/** Removes the pidfile only while it still holds `expected` (the text this process wrote or judged). */
export function removePidfileIf(file: string, expected: string): boolean {
  const read = readNoFollow(file);
  if (read.kind !== 'text' || read.text !== expected) return false;
  fs.rmSync(file, { force: true });
  return true;
}

/** Sets an untrusted pidfile aside, keeping its content; returns where it went. */
export function quarantinePidfile(file: string): string | undefined {
  return moveAside(file);
}
