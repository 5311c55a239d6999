import type { ProcEntry } from './scan/proc/types.js';
import type { BbiaProcess } from './scan/scan.js';
import type { StopReport } from './supervise/stop-tree.js';

// Pure rules over one scan's BBIA processes: which robots count, which targets head a tree, and what
// several tree stops did together (engine.ts acts on them).

/** What stopping several trees did, summed over them. */
export interface TreesReport {
  /** Every process signalled: the targets and their descendants. */
  targeted: ProcEntry[];
  /** Processes that needed SIGKILL (all of them for kill-all). */
  killed: ProcEntry[];
  /** Processes still alive at the end (should be empty). */
  survivors: ProcEntry[];
}

/**
 * The robots that run, each one a separate simulation: every robot with no robot above it (a robot's own
 * children, or the launcher mjpython re-ran, are not counted; one started by a test or a server is).
 */
export function robotsOf(processes: readonly BbiaProcess[]): BbiaProcess[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  return processes.filter((p) => p.kind === 'robot' && !hasAncestor(p, byPid, (a) => a.kind === 'robot'));
}

/** True when a parent, grandparent... of `p` among `byPid` passes `test` (bounded: a racy snapshot may hold a cycle). */
export function hasAncestor(p: BbiaProcess, byPid: ReadonlyMap<number, BbiaProcess>, test: (a: BbiaProcess) => boolean): boolean {
  for (let a = byPid.get(p.ppid), n = 0; a && n < byPid.size; a = byPid.get(a.ppid), n++) if (test(a)) return true;
  return false;
}

/** The targets that are no descendant of another target: stopping their trees stops the rest. */
export function topsOf(targets: readonly BbiaProcess[]): BbiaProcess[] {
  const byPid = new Map(targets.map((p) => [p.pid, p]));
  return targets.filter((p) => !hasAncestor(p, byPid, () => true));
}

/** Sums the reports of several tree stops, each process once. */
export function sumReports(reports: readonly StopReport[]): TreesReport {
  const once = (lists: ProcEntry[][]) => [...new Map(lists.flat().map((p) => [p.pid, p])).values()];
  return {
    targeted: once(reports.map((r) => r.targeted)),
    killed: once(reports.map((r) => r.killed)),
    survivors: once(reports.map((r) => r.survivors)),
  };
}

