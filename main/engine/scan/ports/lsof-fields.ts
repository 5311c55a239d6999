import { isPort } from './types.js';

/** One process set of `lsof -F` output: its PID, the fields asked for, and the names of its files. */
export interface LsofProcess {
  /** `p`: process ID. */
  pid: number;
  /** `R`: parent process ID (0 unless `R` was asked for). */
  ppid: number;
  /** `c`: command name (the kernel's short name, not the command line). */
  command: string;
  /** `n` of each file set: for an Internet socket, its address (`*:8000`, `127.0.0.1:8001`, `[::1]:8002`). */
  names: string[];
}

/**
 * Parses `lsof -F` output with NL terminators (lsof(8), OUTPUT FOR OTHER PROGRAMS): each line is one
 * field, a one-character identifier then the value. A process set begins with `p`; the file sets that
 * follow (`f`, `t`, `P`, `n`, ...) belong to it until the next `p`. Fields not used here are ignored:
 * lsof 4.88 to 4.93.2 (macOS ships 4.91 on many releases) always adds `f` fields, newer ones do not.
 */
export function parseLsofFields(text: string): LsofProcess[] {
  const out: LsofProcess[] = [];
  let current: LsofProcess | undefined;
  for (const line of text.split('\n')) {
    const id = line.charAt(0);
    const value = line.slice(1).replace(/\r$/, '');
    if (id === 'p') {
      const pid = Number(value);
      current = Number.isSafeInteger(pid) && pid > 0 ? { pid, ppid: 0, command: '', names: [] } : undefined;
      if (current) out.push(current);
    } else if (!current) {
      continue;
    } else if (id === 'c') {
      current.command = value;
    } else if (id === 'R') {
      current.ppid = Number(value) || 0;
    } else if (id === 'n') {
      current.names.push(value);
    }
  }
  return out;
}

/**
 * The local port of an lsof Internet name, with `-P` (numeric ports): `*:8000`, `127.0.0.1:8001`,
 * `[::1]:8002`, or `127.0.0.1:8001->127.0.0.1:50000` for a connection (the local side counts).
 * Undefined for a name without a numeric port (`*:*`).
 */
export function portOfLsofName(name: string): number | undefined {
  const local = name.split('->')[0]!.replace(/\s+\(\w+\)$/, '');
  const match = /:(\d+)$/.exec(local);
  const port = match ? Number(match[1]) : Number.NaN;
  return isPort(port) ? port : undefined;
}
