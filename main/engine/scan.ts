import { classify, isBbiaSafe, type Kind, type Rule } from './rules.js';
import type { ProcEntry, ProcIdentity, ProcSource } from './proc/types.js';

/** One BBIA process as shown by `status` and the popover. */
export interface BbiaProcess {
  /** Process ID. */
  pid: number;
  /** Parent process ID. */
  ppid: number;
  /** Process group ID. */
  pgid: number;
  /** Start time key (identity with the PID). */
  startKey: string;
  /** What it is. */
  kind: Kind;
  /** True for the locked instance and its descendants. */
  locked: boolean;
  /** Percent of one core over the last interval. */
  cpu: number;
  /** Resident memory, bytes. */
  memRss: number;
  /** Start time, epoch ms. */
  startedAt: number;
  /** Command line. */
  command: string;
}

/** What one scan needs to know besides the processes. */
export interface ScanContext {
  /** Project folders that make a pytest a BBIA test. */
  projectRoots: readonly string[];
  /** Extra rules from the settings. */
  extraRules?: readonly Rule[];
  /** The locked instance's robot, whose whole tree is shown whatever its commands. */
  instance?: ProcIdentity;
  /**
   * The instance's supervisor when it is the subreaper of the robot's tree (the keeper on Linux): its
   * other children are descendants of the robot that daemonized, and belong to the instance too.
   */
  adopter?: ProcIdentity;
  /** PIDs never to list (this process, the supervisor). */
  exclude?: ReadonlySet<number>;
}

/** The result of one scan: every process of the user, and the BBIA ones among them. */
export interface ScanResult {
  /** Time of the scan, epoch ms. */
  at: number;
  /** All of this user's processes (for trees and ancestry). */
  all: ProcEntry[];
  /** The BBIA processes, robot first. */
  bbia: BbiaProcess[];
}

/** Adds to `tree` every orphan of the robot's tree that its subreaper adopted, with their own trees. */
function adoptedInto(tree: Set<number>, robot: ProcIdentity, adopter: ProcIdentity, all: readonly ProcEntry[]): void {
  if (all.find((p) => p.pid === adopter.pid)?.startKey !== adopter.startKey) return;
  for (const p of all) {
    // Its own Node end (`__keeper-end`) is bbia-safe, wherever the entry sits in its command line
    if (p.ppid !== adopter.pid || p.pid === robot.pid || tree.has(p.pid) || isBbiaSafe(p.argv) || p.argv.includes('__keeper-end')) continue;
    for (const d of treeOf(p, all)) tree.add(d.pid);
  }
}

const KIND_ORDER: Record<Kind, number> = { robot: 0, simulator: 1, viewer: 2, websocket: 3, test: 4, other: 5 };

/**
 * `root` and every descendant by parent links, plus the members of its process group and session.
 * A dead root's group and session still name its own descendants: the kernel does not reuse a PID
 * while a group or session of that ID exists. If the PID now belongs to another process, nothing is returned.
 */
export function treeOf(root: ProcIdentity, all: readonly ProcEntry[]): ProcEntry[] {
  const atPid = all.find((p) => p.pid === root.pid);
  if (atPid && atPid.startKey !== root.startKey) return [];
  const children = new Map<number, ProcEntry[]>();
  for (const p of all) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const found = new Map<number, ProcEntry>();
  for (const p of all) {
    if (p.pid === root.pid || p.pgid === root.pid || (p.sid !== 0 && p.sid === root.pid)) found.set(p.pid, p);
  }
  const queue = [...found.values()];
  while (queue.length > 0) {
    const next = queue.pop()!;
    for (const child of children.get(next.pid) ?? []) {
      if (!found.has(child.pid)) {
        found.set(child.pid, child);
        queue.push(child);
      }
    }
  }
  return [...found.values()];
}

/** What the scanner remembers of one process between scans, updated in place. */
interface Seen {
  startKey: string;
  /** CPU time and time of the last scan, for the next CPU % */
  cpuSeconds: number;
  at: number;
  /** The command line the kind was decided on, and the rules (`sig`) it was decided with. */
  command: string;
  sig: string;
  kind: Kind | undefined;
  /** Number of the last scan that saw it. */
  scan: number;
}

/**
 * Scans processes and computes CPU % from the CPU time deltas between two calls. What it remembers
 * per process is updated in place rather than rebuilt each scan: a poll loop then makes almost no
 * objects that outlive a poll, which is what keeps its heap, and its RSS, flat (bench/idle.ts).
 */
export class Scanner {
  readonly #source: ProcSource;
  readonly #uid: number | undefined;
  readonly #now: () => number;
  readonly #seen = new Map<number, Seen>();
  #scans = 0;
  #sig = '';
  #sigOf: ScanContext | undefined;

  /** A scanner over one process source, limited to one user's processes. */
  constructor(source: ProcSource, options: { uid?: number; now?: () => number } = {}) {
    this.#source = source;
    this.#uid = options.uid ?? process.getuid?.();
    this.#now = options.now ?? Date.now;
  }

  /** The process source the scanner reads. */
  get source(): ProcSource {
    return this.#source;
  }

  /** Reads all processes once and classifies them. */
  scan(ctx: ScanContext): ScanResult {
    const all = this.#source.list(this.#uid);
    const at = this.#now();
    const scan = ++this.#scans;
    const instanceTree = ctx.instance ? new Set(treeOf(ctx.instance, all).map((p) => p.pid)) : undefined;
    if (instanceTree && ctx.adopter) adoptedInto(instanceTree, ctx.instance!, ctx.adopter, all);
    const classifyCtx = {
      projectRoots: ctx.projectRoots,
      extraRules: ctx.extraRules,
      cwdOf: (pid: number) => this.#source.cwd(pid),
    };
    // Kinds stay valid while the project roots and rules stay the same
    if (this.#sigOf?.projectRoots !== ctx.projectRoots || this.#sigOf.extraRules !== ctx.extraRules) {
      this.#sig = JSON.stringify([ctx.projectRoots, ctx.extraRules ?? []]);
      this.#sigOf = ctx;
    }
    const sig = this.#sig;
    const bbia: BbiaProcess[] = [];
    for (const p of all) {
      let seen = this.#seen.get(p.pid);
      const fresh = seen === undefined || seen.startKey !== p.startKey;
      if (fresh) {
        seen = { startKey: p.startKey, cpuSeconds: p.cpuSeconds, at, command: '', sig: '', kind: undefined, scan };
        this.#seen.set(p.pid, seen);
      }
      const s = seen!;
      // Over the interval since the last scan, or over the process's life when it is new: never a first sample
      const cpu = fresh
        ? (p.cpuSeconds * 100000) / Math.max(1, at - p.startedAt)
        : ((p.cpuSeconds - s.cpuSeconds) * 100000) / Math.max(1, at - s.at);
      s.cpuSeconds = p.cpuSeconds;
      s.at = at;
      s.scan = scan;
      if (ctx.exclude?.has(p.pid)) continue;
      // Same identity and command line (exec keeps the PID and start time): the kind cannot have changed
      if (fresh || s.command !== p.command || s.sig !== sig) {
        s.kind = classify(p.pid, p.argv, p.command, classifyCtx);
        s.command = p.command;
        s.sig = sig;
      }
      const locked = instanceTree?.has(p.pid) ?? false;
      const kind = s.kind ?? (locked ? 'other' : undefined);
      if (!kind) continue;
      bbia.push({
        pid: p.pid,
        ppid: p.ppid,
        pgid: p.pgid,
        startKey: p.startKey,
        kind,
        locked,
        cpu: Math.max(0, Math.round(cpu * 10) / 10),
        memRss: p.rss,
        startedAt: p.startedAt,
        command: p.command,
      });
    }
    for (const [pid, s] of this.#seen) if (s.scan !== scan) this.#seen.delete(pid);
    bbia.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.startedAt - b.startedAt || a.pid - b.pid);
    return { at, all, bbia };
  }
}
