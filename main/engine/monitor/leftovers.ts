import type { BbiaProcess } from '../scan/scan.js';

/** The kinds that pile up unseen: test runs, websocket helpers, viewers. */
export const LEFTOVER_KINDS: ReadonlySet<string> = new Set(['test', 'websocket', 'viewer']);

/** Leftovers: test, websocket and viewer processes outside the running instance, older than `minAgeMs`. */
export function findLeftovers(processes: readonly BbiaProcess[], now: number, minAgeMs: number): BbiaProcess[] {
  return processes.filter((p) => !p.locked && LEFTOVER_KINDS.has(p.kind) && now - p.startedAt >= minAgeMs);
}
