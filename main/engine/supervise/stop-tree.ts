import { treeOf } from '../scan/scan.js';
import { carrying, isAlive, type ProcEntry, type ProcIdentity, type ProcSource } from '../scan/proc/types.js';
import { waitFor } from '../wait.js';

/** What a stop did. */
export interface StopReport {
  /** Every process that was targeted (the tree as snapshotted, plus late forks). */
  targeted: ProcEntry[];
  /** Processes that needed SIGKILL after the grace period. */
  killed: ProcEntry[];
  /** Descendants that had left the group (setsid) and were signalled one by one. */
  escaped: ProcEntry[];
  /** Processes still alive at the end (should be empty). */
  survivors: ProcEntry[];
  /** Milliseconds from the first signal to the last process gone. */
  elapsedMs: number;
}

/** Options of {@link stopTree}. */
export interface StopTreeOptions {
  /** Grace period between SIGTERM and SIGKILL. */
  timeoutMs: number;
  /** Extra identities known to belong to the tree (tracked while it ran). */
  tracked?: readonly ProcIdentity[];
  /** Skip the grace period: SIGKILL at once (kill-all). */
  immediate?: boolean;
  /** The user whose processes may be listed. */
  uid?: number;
  /** The instance mark ({@link instanceMark}): processes carrying it belong to the tree wherever they went. */
  mark?: string;
}

/** The environment variable that marks every process a supervised robot starts, whatever it does later. */
export const INSTANCE_ENV = 'BBIA_SAFE_INSTANCE';

/**
 * The mark of one instance: its supervisor's identity, which the pidfile records. Children inherit
 * their parent's environment, so a descendant that daemonized (fork, setsid, fork, its parent gone)
 * and kept no parent, group or session link to the robot still carries it.
 */
export function instanceMark(supervisor: Supervisor): string {
  return `${INSTANCE_ENV}=${instanceMarkValue(supervisor)}`;
}

/** The value of {@link INSTANCE_ENV} in the robot's environment. */
export function instanceMarkValue(supervisor: Supervisor): string {
  return `${supervisor.supervisorPid}:${supervisor.supervisorStartKey}`;
}

type Supervisor = { supervisorPid: number; supervisorStartKey: string };

/** Signals one process only after re-checking its identity; a PID alone is never signalled. */
export function signalIdentity(source: ProcSource, p: ProcIdentity, signal: NodeJS.Signals): boolean {
  if (!isAlive(source, p)) return false;
  try {
    process.kill(p.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** This process and its ancestors: never signalled, whatever tree they sit in. */
export function callerLine(all: readonly ProcEntry[]): Set<number> {
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const callers = new Set<number>([process.pid]);
  for (let p = byPid.get(process.pid); p && !callers.has(p.ppid); p = byPid.get(p.ppid)) callers.add(p.ppid);
  return callers;
}

/**
 * The tree of `root` now, plus tracked identities that are still alive, plus (where the platform reads
 * environments: /proc/PID/environ on Linux, one `ps -E` on macOS) every process carrying the instance
 * `mark`, with their own trees. Reads the table once (`all`); never this process.
 */
export function collectTree(
  source: ProcSource,
  root: ProcIdentity,
  tracked: readonly ProcIdentity[],
  uid?: number,
  mark?: string,
  all: readonly ProcEntry[] = source.list(uid),
): ProcEntry[] {
  const found = new Map(treeOf(root, all).map((p) => [p.pid, p]));
  const byPid = new Map(all.map((p) => [p.pid, p]));
  // Never the caller's own line through what was tracked or marked: a `bbia-safe stop` typed in a terminal
  // the robot opened (a tmux server it started, a shell carrying the mark) would end the stop half-way
  const callers = callerLine(all);
  const addWithTree = (p: ProcEntry) => {
    if (found.has(p.pid)) return;
    for (const d of [p, ...treeOf(p, all)]) if (!found.has(d.pid) && !callers.has(d.pid)) found.set(d.pid, d);
  };
  for (const t of tracked) {
    const live = byPid.get(t.pid);
    if (live && live.startKey === t.startKey) addWithTree(live);
  }
  const marked = mark ? carrying(source, all, mark) : undefined;
  if (marked) {
    for (const p of all) if (!found.has(p.pid) && !callers.has(p.pid) && marked.has(p.pid)) addWithTree(p);
  }
  // Nor through the root's group or session: a terminal the robot opened stays in its group after it is re-parented
  for (const pid of callers) found.delete(pid);
  return [...found.values()];
}

/**
 * Stops a whole process tree, as supervisord's stopasgroup/killasgroup and beyond: SIGTERM to the
 * root's process group and to every member that left it, SIGKILL after the grace period, then a
 * rescan for late forks; returns once every targeted process is gone or reports the survivors.
 */
export async function stopTree(source: ProcSource, root: ProcIdentity, options: StopTreeOptions): Promise<StopReport> {
  const started = Date.now();
  const targets = new Map<number, ProcEntry>();
  const add = (list: ProcEntry[]) => {
    for (const p of list) if (!targets.has(p.pid)) targets.set(p.pid, p);
  };
  // One read of the table for the tree and the caller's line (on macOS each read is a `ps`)
  const all = source.list(options.uid);
  add(collectTree(source, root, options.tracked ?? [], options.uid, options.mark, all));
  // The root's group, even once the root is gone (its ID cannot be reused while members remain)
  const inGroup = (p: ProcEntry) => p.pgid === root.pid;
  const escaped = [...targets.values()].filter((p) => !inGroup(p));
  // Never a group the caller is in (a robot started by hand in the shell that now types kill-all)
  const callers = callerLine(all);
  const callerInGroup = all.some((p) => callers.has(p.pid) && p.pgid === root.pid);
  const groupIsOurs = () => {
    if (callerInGroup) return false;
    const atPid = source.read(root.pid);
    return atPid === undefined || atPid.startKey === root.startKey;
  };
  const signalAll = (signal: NodeJS.Signals) => {
    if ([...targets.values()].some(inGroup) && groupIsOurs()) {
      try {
        process.kill(-root.pid, signal);
      } catch {
        // the group is already gone
      }
    }
    for (const p of targets.values()) signalIdentity(source, p, signal);
  };
  const living = () => [...targets.values()].filter((p) => isAlive(source, p));

  signalAll(options.immediate ? 'SIGKILL' : 'SIGTERM');
  let killed: ProcEntry[] = [];
  if (!options.immediate) {
    await waitFor(() => living().length === 0, options.timeoutMs);
    killed = living();
  }
  for (let round = 0; round < 5; round++) {
    // Late forks: anything born into the tree, or daemonized out of it, while it was being stopped
    for (const p of living()) add(collectTree(source, p, [], options.uid));
    if (options.mark) add(collectTree(source, root, [], options.uid, options.mark));
    if (living().length === 0) break;
    signalAll('SIGKILL');
    await waitFor(() => living().length === 0, 1000, 10);
  }
  return {
    targeted: [...targets.values()],
    killed,
    escaped: escaped.filter((p) => p.pid !== root.pid),
    survivors: living(),
    elapsedMs: Date.now() - started,
  };
}
