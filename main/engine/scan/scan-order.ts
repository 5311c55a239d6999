import type { Verdict } from './classify.js';
import type { ProcEntry } from './proc/types.js';
import { isBbiaSafe, type Kind } from './rules.js';
import type { BbiaProcess } from './scan.js';
import type { Why } from '../../../common/i18n/reasons.js';

const KIND_ORDER: Record<Kind, number> = { robot: 0, simulator: 1, viewer: 2, server: 3, websocket: 4, test: 5, other: 6 };

/** What the ordering needs to know of each process from the scan. */
export interface OrderInput {
  /** Its own verdict (what it runs), if any. */
  verdict(p: ProcEntry): Verdict | undefined;
  /** Its CPU % over the last interval. */
  cpu(p: ProcEntry): number;
  /** True when it is in the instance's tree. */
  locked(p: ProcEntry): boolean;
  /** True for a process never to list (this process, the supervisor). */
  excluded(p: ProcEntry): boolean;
}

/**
 * The BBIA processes in display order: each one listed on its own merit (a verdict, or the instance's
 * tree), robot first, then by kind and age, each followed by its descendants. A descendant of a BBIA
 * process is one, whatever it runs (a server's workers, a test run's helpers, a robot's children), and
 * takes its parent's kind (a robot's children are `other`); bbia-safe itself never is.
 */
export function orderBbia(all: readonly ProcEntry[], input: OrderInput): BbiaProcess[] {
  const heads = all.filter((p) => !input.excluded(p) && (input.verdict(p) !== undefined || input.locked(p)));
  if (heads.length === 0) return [];
  const children = new Map<number, ProcEntry[]>();
  for (const p of all) {
    if (input.excluded(p) || isBbiaSafe(p.argv)) continue;
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  // Heads under another head are listed under it, not on their own
  const below = new Set<number>();
  const mark = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      if (below.has(c.pid)) continue;
      below.add(c.pid);
      mark(c.pid);
    }
  };
  for (const h of heads) mark(h.pid);
  const tops = heads.filter((h) => !below.has(h.pid)).map((p) => make(p, input, input.verdict(p)?.kind ?? 'other', input.verdict(p)?.why ?? { code: 'instance' }, 0));
  tops.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.startedAt - b.startedAt || a.pid - b.pid);
  const out: BbiaProcess[] = [];
  const done = new Set<number>();
  const visit = (parent: BbiaProcess) => {
    out.push(parent);
    done.add(parent.pid);
    const kids = (children.get(parent.pid) ?? []).toSorted((a, b) => a.startedAt - b.startedAt || a.pid - b.pid);
    for (const c of kids) {
      if (done.has(c.pid)) continue;
      // An orphaned worker's own verdict counts only without a BBIA parent: under one, it takes the parent's kind
      const v = input.verdict(c);
      const own = v?.orphanOnly ? undefined : v;
      const inherited: Kind = parent.kind === 'robot' ? 'other' : parent.kind;
      visit(make(c, input, own?.kind ?? inherited, own?.why ?? { code: 'child', pid: parent.pid, by: parent.kind }, parent.depth + 1));
    }
  };
  for (const top of tops) visit(top);
  return out;
}

function make(p: ProcEntry, input: OrderInput, kind: Kind, why: Why, depth: number): BbiaProcess {
  return {
    pid: p.pid,
    ppid: p.ppid,
    pgid: p.pgid,
    startKey: p.startKey,
    kind,
    locked: input.locked(p),
    cpu: Math.max(0, Math.round(input.cpu(p) * 10) / 10),
    memRss: p.rss,
    startedAt: p.startedAt,
    command: p.command,
    why,
    ports: [],
    depth,
  };
}
