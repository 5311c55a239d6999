import fs from 'node:fs';

/** Size past which the robot log is rotated at the next start. */
export const LOG_ROTATE_BYTES = 5 * 1024 * 1024;

/** Rotates `file` to `file.1` once it is over the cap (one generation kept). */
export function rotateLog(file: string, maxBytes = LOG_ROTATE_BYTES): void {
  try {
    if (fs.statSync(file).size > maxBytes) fs.renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
}

/**
 * Caps a log that another process appends to (O_APPEND): copies it to `file.1` and truncates it in place
 * (logrotate's copytruncate), since the robot writes to its own descriptor, not through the supervisor.
 * When the copy fails the log is truncated anyway: its lines are lost, never the cap.
 */
export function capLog(file: string, maxBytes = LOG_ROTATE_BYTES): boolean {
  try {
    if (fs.statSync(file).size <= maxBytes) return false;
  } catch {
    return false;
  }
  try {
    fs.copyFileSync(file, `${file}.1`);
  } catch {
    // A full disk or an unwritable .1: the cap is the promise, so the log is truncated all the same
  }
  try {
    fs.truncateSync(file, 0);
    return true;
  } catch {
    return false;
  }
}

/** How the line that opens each run in the robot log begins (written by the supervisor before the spawn). */
export const RUN_MARKER = '=== bbia-safe ';

/** The line that opens a run in the robot log: when, what, where. */
export function runHeader(at: Date, command: string, dir: string): string {
  return `${RUN_MARKER}${at.toISOString()}: ${command} (in ${dir}) ===`;
}

/**
 * The last `n` non-empty lines of the latest run only: what follows the last run header. Without a header
 * in the last 64 KiB, every line read is the latest run's (it wrote more than that, or the log was capped
 * while it ran, which keeps only its own lines).
 */
export function tailRun(file: string, n: number): string[] {
  const lines = tailLog(file, Number.POSITIVE_INFINITY);
  const start = lines.findLastIndex((l) => l.startsWith(RUN_MARKER));
  return lines.slice(start + 1).slice(-n);
}

/** The last `n` non-empty lines of a log file (reads at most its last 64 KiB). */
export function tailLog(file: string, n: number): string[] {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, size - length);
      return buf.toString('utf8').split('\n').filter((l) => l.trim() !== '').slice(-n);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return [];
  }
}
