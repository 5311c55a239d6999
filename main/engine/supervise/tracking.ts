import type { ProcEntry, ProcIdentity, ProcSource } from '../scan/proc/types.js';
import { collectTree } from './stop-tree.js';

/**
 * The robot's tree now plus what was tracked before, kept by identity. Where the platform lists children
 * cheaply (Linux), it walks down from the robot instead of reading every process of the machine: 0.15 ms
 * against 15 ms a tick at 1,100 processes (bench/idle.ts); elsewhere it costs one read of the table (macOS:
 * a `ps`), so only an explicit `track()` does it, never a timer.
 */
function descendants(source: ProcSource, root: ProcIdentity, tracked: ReadonlyMap<number, ProcIdentity>): ProcIdentity[] {
  if (!source.children) return collectTree(source, root, [...tracked.values()]).map((p) => ({ pid: p.pid, startKey: p.startKey }));
  const found = new Map<number, ProcIdentity>();
  const queue = [root, ...tracked.values()];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (found.has(next.pid)) continue;
    const live = source.read(next.pid);
    if (!live || live.startKey !== next.startKey) continue;
    found.set(next.pid, next);
    for (const child of source.children(next.pid)) {
      const entry = found.has(child) ? undefined : source.read(child);
      if (entry) queue.push({ pid: entry.pid, startKey: entry.startKey });
    }
  }
  return [...found.values()];
}

/**
 * The descendants a supervisor remembers, by identity, for its stop: walked from the robot where that
 * forks nothing (Linux), or taken from the rows the app's poll read anyway (macOS: no `ps` of its own).
 * Only candidates: the stop matches them again against a fresh read before any signal (stop-tree.ts).
 */
export class TreeTracker {
  readonly #source: ProcSource;
  readonly #root: ProcIdentity;
  readonly #tracked = new Map<number, ProcIdentity>();

  /** A tracker of the tree under `root`, read through `source`. */
  constructor(source: ProcSource, root: ProcIdentity) {
    this.#source = source;
    this.#root = root;
  }

  /** Everything remembered so far. */
  known(): ProcIdentity[] {
    return [...this.#tracked.values()];
  }

  /** Walks the tree now (see {@link descendants}) and remembers what it finds. */
  walk(): void {
    this.#remember(descendants(this.#source, this.#root, this.#tracked));
  }

  /** Takes the tree from a whole table of this user's processes; a remembered identity missing from it is gone. */
  observe(rows: readonly ProcEntry[]): void {
    const live = new Map(rows.map((p) => [p.pid, p.startKey]));
    for (const [pid, id] of this.#tracked) if (live.get(pid) !== id.startKey) this.#tracked.delete(pid);
    this.#remember(collectTree(this.#source, this.#root, this.known(), undefined, undefined, rows));
  }

  #remember(found: readonly ProcIdentity[]): void {
    for (const p of found) this.#tracked.set(p.pid, { pid: p.pid, startKey: p.startKey });
  }
}
