import { classify, type Verdict } from './classify.js';
import { orderBbia } from './scan-order.js';
import { isBbiaSafe, type Kind, type Rule } from './rules.js';
import type { Why } from '../../../common/i18n/reasons.js';
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
   * The instance's supervisor when it is the subreaper of the robot's tree (the detached supervisor on Linux): its
   * other children are descendants of the robot that daemonized, and belong to the instance too.
   */
  reapingSupervisor?: ProcIdentity;
  /** PIDs never to list (this process, the supervisor). */
  exclude?: ReadonlySet<number>;
  /**
   * A live view's scan (`status --watch`): a process already judged not BBIA is read again only every
   * this many scans ({@link REREAD_EVERY}); absent, every process is read at every scan. Never for a
   * scan whose rows decide a signal.
   */
  rereadEvery?: number;
}

/**
 * How often a live view reads again a process it judged not BBIA: every 10th scan, so 10 s at the watch's
 * 1 s. Reading /proc/PID/stat is most of a poll's cost (at +1,000 processes, 12 of its 16 ms a second);
 * one read in ten brings `status --watch` under 1 % of a core there (bench/watch.ts). What the skipped
 * read could show is an exec() that keeps the PID: a process that was not BBIA and execs into a BBIA
 * program is listed within 10 scans. A new process, one that dies, everything listed, and every process
 * younger than {@link YOUNG_MS} are read at every scan.
 */
export const REREAD_EVERY = 10;

/**
 * A process is read at every scan during its first 5 s: a launcher or shell wrapper execs its program
 * within that time (seen at the next scan, not 10 s later). Older processes rarely exec.
 */
export const YOUNG_MS = 5000;

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
function adoptedInto(tree: Set<number>, robot: ProcIdentity, reapingSupervisor: ProcIdentity, all: readonly ProcEntry[]): void {
  if (all.find((p) => p.pid === reapingSupervisor.pid)?.startKey !== reapingSupervisor.startKey) return;
  for (const p of all) {
    // Its own Node end (`__supervisor-end`) is bbia-safe, wherever the entry sits in its command line
    if (p.ppid !== reapingSupervisor.pid || p.pid === robot.pid || tree.has(p.pid) || isBbiaSafe(p.argv) || p.argv.includes('__supervisor-end')) continue;
    for (const d of treeOf(p, all)) tree.add(d.pid);
  }
}

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
  /** CPU time and time of the last scan, for the next CPU %; the CPU % of the last scan */
  cpuSeconds: number;
  at: number;
  cpu: number;
  /** The command line the verdict was reached on, and the roots and rules (`sig`) it was reached with. */
  command: string;
  sig: string;
  verdict: Verdict | undefined;
  /** Number of the last scan that saw it, and of the last one that listed it as BBIA. */
  scan: number;
  listed: number;
  /** The entry its CPU was last measured on: the same object back from the source means it was not read again. */
  entry: ProcEntry;
}

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
  /** Process groups led by a BBIA process (group ID -> its kind), while any process is left in them. */
  readonly #groups = new Map<number, Kind>();
  #scans = 0;
  /** The roots and rules of the last verdicts (see #judge). */
  #sig = '';

  readonly #nonBlockingCwd: boolean;

  /**
   * A scanner over one process source, limited to one user's processes. With `nonBlockingCwd` (the app's
   * main process), a working folder that costs a process to read (macOS: lsof) is read in the background:
   * the process is judged without it, and judged again once it is known, at a later scan.
   */
  constructor(source: ProcSource, options: { uid?: number; now?: () => number; nonBlockingCwd?: boolean } = {}) {
    this.#source = source;
    this.#uid = options.uid ?? process.getuid?.();
    this.#now = options.now ?? Date.now;
    this.#nonBlockingCwd = options.nonBlockingCwd === true && source.cwdAsync !== undefined && source.cwdCached !== undefined;
  }

  /** The working folder for a verdict; `pending` collects the PIDs whose folder is still being read. */
  #cwdOf(pid: number, pending: Set<number>): string | undefined {
    if (!this.#nonBlockingCwd) return this.#source.cwd(pid);
    const known = this.#source.cwdCached!(pid);
    if (known !== undefined) return known ?? undefined;
    pending.add(pid);
    void this.#source.cwdAsync!(pid);
    return undefined;
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
    const scan = ++this.#scans;
    const every = ctx.rereadEvery ?? 1;
    const before = this.#now();
    const all = every > 1 ? this.#source.list(this.#uid, (p) => this.#mayReuse(p, scan, every, before)) : this.#source.list(this.#uid);
    const at = this.#now();
    const instanceTree = ctx.instance ? new Set(treeOf(ctx.instance, all).map((p) => p.pid)) : undefined;
    if (instanceTree && ctx.reapingSupervisor) adoptedInto(instanceTree, ctx.instance!, ctx.reapingSupervisor, all);
    this.#measure(all, at, scan);
    // A launcher seen for the first time names a project folder: what runs in it is judged again at once
    if (this.#judge(all, ctx)) this.#judge(all, ctx);
    for (const [pid, s] of this.#seen) if (s.scan !== scan) this.#seen.delete(pid);
    // The live PIDs and groups, only while a dead leader's group may still have members (most polls: none)
    const pids = this.#groups.size > 0 ? new Set(all.map((p) => p.pid)) : undefined;
    const bbia = orderBbia(all, {
      verdict: (p) => this.#seen.get(p.pid)!.verdict ?? (pids && this.#groupVerdict(p, pids)),
      cpu: (p) => this.#seen.get(p.pid)!.cpu,
      locked: (p) => instanceTree?.has(p.pid) ?? false,
      excluded: (p) => ctx.exclude?.has(p.pid) === true,
    });
    // Forget a group once no process is left in it; remember the groups BBIA processes lead now
    if (pids) {
      const groups = new Set(all.map((p) => p.pgid));
      for (const g of this.#groups.keys()) if (!groups.has(g)) this.#groups.delete(g);
    }
    for (const b of bbia) {
      this.#seen.get(b.pid)!.listed = scan;
      if (b.pgid === b.pid) this.#groups.set(b.pid, b.kind);
    }
    return { at, all, bbia };
  }

  /**
   * True when a live view's scan may take the last entry of `p` as it is: not its turn (each process is
   * read at least every `every` scans), and either another user's (never listed) or one this scanner
   * measured and judged not BBIA, listed at no recent scan, in no BBIA group, at least {@link YOUNG_MS} old.
   */
  #mayReuse(p: ProcEntry, scan: number, every: number, now: number): boolean {
    if ((p.pid + scan) % every === 0) return false;
    if (this.#uid !== undefined && p.uid !== this.#uid) return true;
    const s = this.#seen.get(p.pid);
    return (
      s !== undefined &&
      s.entry === p &&
      s.verdict === undefined &&
      s.sig === this.#sig &&
      s.listed < scan - 1 &&
      !this.#groups.has(p.pgid) &&
      now - p.startedAt >= YOUNG_MS
    );
  }

  /**
   * A member of a group a BBIA process led, once that leader is gone (a hand-started robot SIGKILLed, its
   * children re-parented): still BBIA. A group ID is not handed out again while a process is left in it.
   */
  #groupVerdict(p: ProcEntry, pids: ReadonlySet<number>): Verdict | undefined {
    const kind = p.pgid !== p.pid && !pids.has(p.pgid) ? this.#groups.get(p.pgid) : undefined;
    if (kind === undefined) return undefined;
    return { kind: kind === 'robot' ? 'other' : kind, why: { code: 'group', pid: p.pgid, by: kind }, orphanOnly: true };
  }

  /** CPU % of every process: over the interval since the last scan, or over its life when new (never a first sample). */
  #measure(all: readonly ProcEntry[], at: number, scan: number): void {
    for (const p of all) {
      let s = this.#seen.get(p.pid);
      // Not read again (a live view's scan): its CPU % stays the one measured over its last interval
      if (s !== undefined && s.entry === p) {
        s.scan = scan;
        continue;
      }
      if (s === undefined || s.startKey !== p.startKey) {
        s = { startKey: p.startKey, cpuSeconds: p.cpuSeconds, at, cpu: 0, command: '', sig: '', verdict: undefined, scan, listed: 0, entry: p };
        this.#seen.set(p.pid, s);
        s.cpu = (p.cpuSeconds * 100000) / Math.max(1, at - p.startedAt);
      } else s.cpu = ((p.cpuSeconds - s.cpuSeconds) * 100000) / Math.max(1, at - s.at);
      s.cpuSeconds = p.cpuSeconds;
      s.at = at;
      s.scan = scan;
      s.entry = p;
    }
  }

  /** Decides each process's verdict where its identity, command line, roots or rules changed; true when a folder was learned. */
  #judge(all: readonly ProcEntry[], ctx: ScanContext): boolean {
    const roots = this.#learned.size === 0 ? ctx.projectRoots : [...new Set([...ctx.projectRoots, ...this.#learned])];
    const sig = JSON.stringify([roots, ctx.extraRules ?? []]);
    this.#sig = sig;
    const pending = new Set<number>();
    const classifyCtx = { projectRoots: roots, extraRules: ctx.extraRules, cwdOf: (pid: number) => this.#cwdOf(pid, pending) };
    let learned = false;
    for (const p of all) {
      const s = this.#seen.get(p.pid)!;
      // Same identity and command line (exec keeps the PID and start time): the verdict cannot have changed
      if (ctx.exclude?.has(p.pid) || (s.command === p.command && s.sig === sig)) continue;
      s.verdict = classify(p.pid, p.argv, p.command, classifyCtx);
      s.command = p.command;
      // Judged without its folder, still being read: judged again at the next scan
      s.sig = pending.has(p.pid) ? '' : sig;
      const root = s.verdict?.projectRoot;
      if (root && !this.#learned.has(root) && !ctx.projectRoots.includes(root)) {
        this.#learned.add(root);
        learned = true;
      }
    }
    return learned;
  }
}
