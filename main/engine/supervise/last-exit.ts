import type { Paths } from '../paths.js';
import { readNoFollow, writeAtomic } from '../safe-fs.js';

/** How a robot that exited on its own ended; restarting it stays the user's decision. */
export interface LastExit {
  /** The robot's PID. */
  pid: number;
  /** Its mode. */
  mode: string;
  /** Exit code, when it exited. */
  exitCode: number | null;
  /** Signal, when one ended it. */
  signal: string | null;
  /** When it ended, ISO 8601. */
  at: string;
  /** The last lines of its log (this run's only). */
  lastLines: string[];
  /** True for a normal end: a timed run (test mode, or `--duration`) that exited 0. Absent in older records. */
  finished?: boolean;
}

/**
 * True for a run that ends by itself when all goes well: the test mode, or any run given `--duration`
 * (by `start --duration`, the robotArgs setting or `start -- ARGS`); its exit 0 is a normal end, not a warning.
 */
export function isTimedRun(record: { mode: string; command: string }): boolean {
  return record.mode === 'test' || /(^|\s)--duration(\s|=|$)/.test(record.command);
}

/** Records the end of a robot that exited on its own. */
export function writeLastExit(paths: Paths, exit: LastExit): void {
  try {
    writeAtomic(paths.lastExit, `${JSON.stringify(exit)}\n`);
  } catch {
    // reporting it is best effort: the supervisor's own log has it too
  }
}

/** Reads the last exit record, if any and well-formed. */
export function readLastExit(paths: Paths): LastExit | undefined {
  const read = readNoFollow(paths.lastExit);
  if (read.kind !== 'text') return undefined;
  try {
    const v = JSON.parse(read.text) as LastExit;
    if (Number.isSafeInteger(v.pid) && typeof v.at === 'string' && Array.isArray(v.lastLines)) return v;
  } catch {
    // malformed: ignored
  }
  return undefined;
}
