import { classify, type Verdict } from './classify.js';
import { isBbiaSafe, type Kind, type Rule } from './rules.js';
import type { Why } from '../i18n/reasons.js';
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
  /** Why it is listed: the script, module or app it runs, or the BBIA process it descends from. */
  why: Why;
  /** TCP ports it listens on, sorted (filled by the engine where asked; empty otherwise). */
  ports: number[];
  /** 0 for a process listed on its own; n for one listed under a BBIA ancestor n levels up. */
  depth: number;
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

const KIND_ORDER: Record<Kind, number> = { robot: 0, simulator: 1, viewer: 2, server: 3, websocket: 4, test: 5, other: 6 };

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
  /** The command line the verdict was reached on, and the roots and rules (`sig`) it was reached with. */
  command: string;
  sig: string;
  verdict: Verdict | undefined;
  /** Number of the last scan that saw it. */
  scan: number;
}

/** A listed process before it is ordered: its sample, verdict and CPU %. */
type Listed = { p: ProcEntry; verdict: Verdict | undefined; cpu: number; locked: boolean };

/**
 * Scans processes and computes CPU % from the CPU time deltas between two calls. What it remembers
 * per process is updated in place rather than rebuilt each scan: a poll loop then makes almost no
 * objects that outlive a poll, which is what keeps its heap, and its RSS, flat (bench/idle.ts).
 * A process's verdict is cached per identity and command line, and redone only when the known project
 * folders or the rules change.
 */
export class Scanner {
  readonly #source: ProcSource;
  readonly #uid: number | undefined;
  readonly #now: () => number;
  readonly #seen = new Map<number, Seen>();
  /** Project folders learned from running launchers, kept for the scanner's life. */
  readonly #learned = new Set<string>();
  #scans = 0;

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

  /** Project folders learned from the robot launchers seen running. */
  get learnedRoots(): readonly string[] {
    return [...this.#learned];
  }

  /** Reads all processes once and classifies them: by what each runs, then by descent from a BBIA process. */
  scan(ctx: ScanContext): ScanResult {
    const all = this.#source.list(this.#uid);
    const at = this.#now();
    const scan = ++this.#scans;
    const instanceTree = ctx.instance ? new Set(treeOf(ctx.instance, all).map((p) => p.pid)) : undefined;
    if (instanceTree && ctx.adopter) adoptedInto(instanceTree, ctx.instance!, ctx.adopter, all);
    let listed = this.#classifyAll(all, at, scan, ctx, instanceTree);
    // A launcher seen for the first time names a project folder: what runs in it is judged again
    if (listed.learned) listed = this.#classifyAll(all, at, scan, ctx, instanceTree, true);
    for (const [pid, s] of this.#seen) if (s.scan !== scan) this.#seen.delete(pid);
    return { at, all, bbia: order(all, listed.items) };
  }

  /** One pass over the processes; `again` when the same scan is judged anew with a learned folder (CPU already taken). */
  #classifyAll(all: readonly ProcEntry[], at: number, scan: number, ctx: ScanContext, tree: Set<number> | undefined, again = false) {
    const roots = [...new Set([...ctx.projectRoots, ...this.#learned])];
    const sig = JSON.stringify([roots, ctx.extraRules ?? []]);
    const classifyCtx = { projectRoots: roots, extraRules: ctx.extraRules, cwdOf: (pid: number) => this.#source.cwd(pid) };
    const items = new Map<number, Listed>();
    let learned = false;
    for (const p of all) {
      let seen = this.#seen.get(p.pid);
      const fresh = seen === undefined || seen.startKey !== p.startKey;
      if (fresh) {
        seen = { startKey: p.startKey, cpuSeconds: p.cpuSeconds, at, command: '', sig: '', verdict: undefined, scan };
        this.#seen.set(p.pid, seen);
      }
      const s = seen!;
      // Over the interval since the last scan, or over the process's life when it is new: never a first sample
      const cpu = fresh || again
        ? (p.cpuSeconds * 100000) / Math.max(1, at - p.startedAt)
        : ((p.cpuSeconds - s.cpuSeconds) * 100000) / Math.max(1, at - s.at);
      if (!again) {
        s.cpuSeconds = p.cpuSeconds;
        s.at = at;
      }
      s.scan = scan;
      if (ctx.exclude?.has(p.pid)) continue;
      // Same identity and command line (exec keeps the PID and start time): the verdict cannot have changed
      if (fresh || s.command !== p.command || s.sig !== sig) {
        s.verdict = classify(p.pid, p.argv, p.command, classifyCtx);
        s.command = p.command;
        s.sig = sig;
        const root = s.verdict?.projectRoot;
        if (root && !this.#learned.has(root) && !ctx.projectRoots.includes(root)) {
          this.#learned.add(root);
          learned = true;
        }
      }
      items.set(p.pid, { p, verdict: s.verdict, cpu: again ? (items.get(p.pid)?.cpu ?? cpu) : cpu, locked: tree?.has(p.pid) ?? false });
    }
    return { items, learned };
  }
}

/**
 * The BBIA processes in display order: each one listed on its own (robot first, then by kind and age),
 * followed by its descendants. A descendant of a BBIA process is one, whatever it runs: a server's
 * workers, a test run's helpers, a robot's children. The instance's whole tree is listed too.
 */
function order(all: readonly ProcEntry[], items: ReadonlyMap<number, Listed>): BbiaProcess[] {
  const children = new Map<number, ProcEntry[]>();
  for (const p of all) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const isTop = (x: Listed) => (x.verdict !== undefined || x.locked) && !hasBbiaAncestor(x.p, items);
  const tops = [...items.values()].filter(isTop).map((x) => make(x, x.verdict?.kind ?? 'other', x.verdict?.why ?? { code: 'instance' }, 0));
  tops.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.startedAt - b.startedAt || a.pid - b.pid);
  const out: BbiaProcess[] = [];
  const done = new Set<number>();
  const visit = (parent: BbiaProcess) => {
    out.push(parent);
    done.add(parent.pid);
    // bbia-safe itself is never a target, even where a BBIA process started it
    const kids = (children.get(parent.pid) ?? []).filter((c) => items.has(c.pid) && !isBbiaSafe(c.argv)).sort((a, b) => a.startedAt - b.startedAt || a.pid - b.pid);
    for (const c of kids) {
      if (done.has(c.pid)) continue;
      const x = items.get(c.pid)!;
      const inherited: Kind = parent.kind === 'robot' ? 'other' : parent.kind;
      const own = x.verdict?.orphanOnly ? undefined : x.verdict;
      visit(make(x, own?.kind ?? inherited, own?.why ?? { code: 'child', pid: parent.pid, by: parent.kind }, parent.depth + 1));
    }
  };
  for (const top of tops) visit(top);
  return out;
}

/** True when a parent, grandparent... of `p` is listed on its own merit (a verdict, or the instance's tree). */
function hasBbiaAncestor(p: ProcEntry, items: ReadonlyMap<number, Listed>): boolean {
  const seen = new Set<number>([p.pid]);
  for (let a = items.get(p.ppid); a && !seen.has(a.p.pid); a = items.get(a.p.ppid)) {
    if (a.verdict !== undefined || a.locked) return true;
    seen.add(a.p.pid);
  }
  return false;
}

function make(x: Listed, kind: Kind, why: Why, depth: number): BbiaProcess {
  const p = x.p;
  return {
    pid: p.pid,
    ppid: p.ppid,
    pgid: p.pgid,
    startKey: p.startKey,
    kind,
    locked: x.locked,
    cpu: Math.max(0, Math.round(x.cpu * 10) / 10),
    memRss: p.rss,
    startedAt: p.startedAt,
    command: p.command,
    why,
    ports: [],
    depth,
  };
}
