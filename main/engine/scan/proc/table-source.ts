import type { ProcEntry, ProcSource } from './types.js';

/** A reader that can answer a whole poll from one table: see {@link tableSource}. */
export interface TableSource extends ProcSource {
  /** Runs `fn` with every `list` of the table's user and every `read` answered from one table, read now. */
  within<T>(fn: () => T): T;
}

/**
 * A reader over `source` that, inside `within`, reads this user's table once and answers from it every
 * `list` of `uid` and every `read`: where each read forks (macOS: a `ps` each), a poll's pidfile checks
 * (instance.ts reads the robot and its supervisor) and its scan cost one `ps` together. A PID missing from
 * the table is not a live process of this user, which is what the pidfile's identity checks ask. Outside
 * `within`, and for anything else, it reads as `source` does.
 */
export function tableSource(source: ProcSource, uid: number | undefined): TableSource {
  let rows: ProcEntry[] | undefined;
  let byPid: Map<number, ProcEntry> | undefined;
  const own = Object.fromEntries(
    Object.entries(source).map(([k, v]) => [k, typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(source) : v]),
  ) as unknown as ProcSource;
  return {
    ...own,
    list: (u) => (rows && u === uid ? rows : source.list(u)),
    read: (pid) => (byPid ? byPid.get(pid) : source.read(pid)),
    within<T>(fn: () => T): T {
      rows = source.list(uid);
      byPid = new Map(rows.map((p) => [p.pid, p]));
      try {
        return fn();
      } finally {
        rows = undefined;
        byPid = undefined;
      }
    },
  };
}
