import { classify, type Kind, type Rule } from './rules.js';
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

/** Scans processes and computes CPU % from the CPU time deltas between two calls. */
export class Scanner {
  readonly #source: ProcSource;
  readonly #uid: number | undefined;
  readonly #now: () => number;
  #previous = new Map<string, { cpuSeconds: number; at: number }>();
  /** Kind per identity, valid while the project roots and rules stay the same (`sig`). */
  #kinds = new Map<string, { command: string; kind: Kind | undefined }>();
  #kindsSig = '';

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
    const instanceTree = ctx.instance ? new Set(treeOf(ctx.instance, all).map((p) => p.pid)) : new Set<number>();
    const classifyCtx = {
      projectRoots: ctx.projectRoots,
      extraRules: ctx.extraRules,
      cwdOf: (pid: number) => this.#source.cwd(pid),
    };
    const next = new Map<string, { cpuSeconds: number; at: number }>();
    const sig = JSON.stringify([ctx.projectRoots, ctx.extraRules ?? []]);
    const kinds = sig === this.#kindsSig ? this.#kinds : new Map<string, { command: string; kind: Kind | undefined }>();
    const nextKinds = new Map<string, { command: string; kind: Kind | undefined }>();
    const bbia: BbiaProcess[] = [];
    for (const p of all) {
      const key = `${p.pid}:${p.startKey}`;
      next.set(key, { cpuSeconds: p.cpuSeconds, at });
      if (ctx.exclude?.has(p.pid)) continue;
      const locked = instanceTree.has(p.pid);
      const cached = kinds.get(key);
      // Same identity and command line (exec keeps the PID and start time): the kind cannot have changed
      const known = cached?.command === p.command ? cached.kind : classify(p.pid, p.argv, p.command, classifyCtx);
      nextKinds.set(key, { command: p.command, kind: known });
      const kind = known ?? (locked ? 'other' : undefined);
      if (!kind) continue;
      const prev = this.#previous.get(key);
      // Over the interval since the last scan, or over the process's life when it is new: never a first sample
      const cpu = prev
        ? ((p.cpuSeconds - prev.cpuSeconds) * 100000) / Math.max(1, at - prev.at)
        : (p.cpuSeconds * 100000) / Math.max(1, at - p.startedAt);
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
    this.#previous = next;
    this.#kinds = nextKinds;
    this.#kindsSig = sig;
    bbia.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.startedAt - b.startedAt || a.pid - b.pid);
    return { at, all, bbia };
  }
}
