import type { Paths } from './paths.js';
import { readNoFollow, writeAtomic } from './safe-fs.js';

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
  /** The last lines of its log. */
  lastLines: string[];
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
