import type { ProcSample } from './types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The columns the macOS reader asks `ps` for. `comm` (the executable's path on macOS) comes last, so
 * that its spaces need no escaping; lstart is five words in the C locale.
 */
export const PS_FIELDS = 'pid=,ppid=,pgid=,uid=,rss=,cputime=,state=,lstart=,comm=';

/**
 * The environment `ps` runs in: the C locale (English names, `%c` as {@link parseLstart} reads it)
 * and UTC, so a start time never depends on the local zone: the repeated hour at the end of daylight
 * saving time, or a zone change while the app runs, would otherwise change a live process's identity.
 */
export function psEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, LC_ALL: 'C', TZ: 'UTC0' };
}

/** Parses `ps` cputime (`[[dd-]hh:]mm:ss[.cc]`) into seconds. */
export function parseCpuTime(text: string): number {
  let days = 0;
  let rest = text;
  const dash = rest.indexOf('-');
  if (dash > 0) {
    days = Number(rest.slice(0, dash));
    rest = rest.slice(dash + 1);
  }
  let seconds = 0;
  for (const part of rest.split(':')) seconds = seconds * 60 + Number(part);
  return days * 86400 + seconds;
}

/** Parses `ps` lstart (`Thu Nov 26 10:00:00 2026`), printed in UTC by {@link psEnv}, into epoch ms. */
export function parseLstart(parts: readonly string[]): number {
  const [, mon, day, time, year] = parts;
  const [h, m, s] = (time ?? '').split(':').map(Number);
  const month = MONTHS.indexOf(mon ?? '');
  if (month < 0 || h === undefined || m === undefined || s === undefined) return Number.NaN;
  return Date.UTC(Number(year), month, Number(day), h, m, s);
}

/** One `ps` line of {@link PS_FIELDS}: a sample and the command name that tells an `exec` happened. */
export interface PsSample extends ProcSample {
  /** `comm`: on macOS the executable's path; `exec` changes it, not the PID or start time. */
  comm: string;
  /** The resolution of the printed CPU time, seconds: 0.01 for BSD's `0:12.34`, 1 for procps's `00:00:12`. */
  cpuStep: number;
}

// pid ppid pgid uid rss cputime state, then lstart (five words), then comm: the rest of the line
const LINE = /^\s*(\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+\s+\S+\s+\d+\s+\d+:\d+:\d+\s+\d+)(?:\s+(.*))?$/;

/** Parses one line of `ps -o` {@link PS_FIELDS} (comm may be missing); undefined when malformed. */
export function parsePsLine(line: string): PsSample | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const startedAt = parseLstart(m[8]!.split(/\s+/));
  const pid = Number(m[1]);
  if (!Number.isSafeInteger(pid) || Number.isNaN(startedAt)) return undefined;
  return {
    pid,
    ppid: Number(m[2]),
    pgid: Number(m[3]),
    sid: 0,
    uid: Number(m[4]),
    rss: Number(m[5]) * 1024,
    cpuSeconds: parseCpuTime(m[6]!),
    state: m[7]!.charAt(0),
    startKey: String(startedAt / 1000),
    startedAt,
    comm: m[9] ?? '',
    cpuStep: m[6]!.includes('.') ? 0.01 : 1,
  };
}
