import fs from 'node:fs';
import type { ProcEntry, ProcSample, ProcSource } from './types.js';

/** Reads AT_CLKTCK and AT_PAGESZ from /proc/self/auxv, so no `getconf` fork is needed. */
function readAuxv(): { clockTicks: number; pageSize: number } {
  let clockTicks = 100;
  let pageSize = 4096;
  try {
    const buf = fs.readFileSync('/proc/self/auxv');
    for (let off = 0; off + 16 <= buf.length; off += 16) {
      const type = Number(buf.readBigUInt64LE(off));
      const value = Number(buf.readBigUInt64LE(off + 8));
      if (type === 0) break;
      if (type === 6) pageSize = value;
      if (type === 17) clockTicks = value;
    }
  } catch {
    // keep the Linux defaults
  }
  return { clockTicks, pageSize };
}

/** Boot time in epoch ms, from the `btime` line of /proc/stat. */
function readBootTime(): number {
  const text = fs.readFileSync('/proc/stat', 'latin1');
  const match = /^btime (\d+)$/m.exec(text);
  return match ? Number(match[1]) * 1000 : 0;
}

/** The fields of one /proc/<pid>/stat line that the engine uses, read from bytes without making strings. */
interface StatFields {
  ppid: number;
  pgid: number;
  sid: number;
  /** Char code of the one-letter state. */
  state: number;
  /** The kernel's per-process flags (PF_*). */
  flags: number;
  startTicks: number;
  cpuTicks: number;
  rssPages: number;
  /** Byte range of the command name, between the first '(' and the last ')'. */
  commStart: number;
  commEnd: number;
}

/**
 * Parses a stat line in `buf[0, n)` into `out`; false when malformed. A poll reads one of these per
 * process: parsing the bytes, instead of slicing and splitting a string into some 50 pieces, leaves
 * almost nothing for the garbage collector, so a long-running poll loop keeps a small, flat heap.
 */
function parseStatBytes(buf: Uint8Array, n: number, out: StatFields): boolean {
  const open = buf.indexOf(40); // '('
  let close = n - 1;
  while (close > open && buf[close] !== 41) close--; // last ')': the name itself may hold parentheses
  if (open < 0 || close <= open || close + 2 >= n) return false;
  out.commStart = open + 1;
  out.commEnd = close;
  out.state = buf[close + 2]!;
  // Field 3 is the state; fields 4 and on are integers (some may be negative)
  let field = 3;
  let i = close + 3;
  let utime = 0;
  while (i < n && field < 24) {
    while (i < n && buf[i] === 32) i++;
    field++;
    let negative = false;
    if (buf[i] === 45) {
      negative = true;
      i++;
    }
    let value = 0;
    let digits = 0;
    for (let c = buf[i]; i < n && c !== undefined && c >= 48 && c <= 57; c = buf[++i]) {
      value = value * 10 + (c - 48);
      digits++;
    }
    if (digits === 0) return false;
    if (negative) value = -value;
    if (field === 4) out.ppid = value;
    else if (field === 5) out.pgid = value;
    else if (field === 6) out.sid = value;
    else if (field === 9) out.flags = value;
    else if (field === 14) utime = value;
    else if (field === 15) out.cpuTicks = utime + value;
    else if (field === 22) out.startTicks = value;
    else if (field === 24) out.rssPages = value;
  }
  return field === 24;
}

/** Parses one /proc/<pid>/stat line; undefined when malformed. */
export function parseStat(pid: number, text: string, clockTicks: number, pageSize: number, bootMs: number): ProcSample | undefined {
  const buf = Buffer.from(text, 'latin1');
  const f = newFields();
  if (!parseStatBytes(buf, buf.length, f)) return undefined;
  return {
    pid,
    ppid: f.ppid,
    pgid: f.pgid,
    sid: f.sid,
    uid: -1,
    startKey: String(f.startTicks),
    startedAt: bootMs + (f.startTicks * 1000) / clockTicks,
    cpuSeconds: f.cpuTicks / clockTicks,
    rss: f.rssPages * pageSize,
    state: String.fromCharCode(f.state),
  };
}

function newFields(): StatFields {
  return { ppid: 0, pgid: 0, sid: 0, state: 0, flags: 0, startTicks: 0, cpuTicks: 0, rssPages: 0, commStart: 0, commEnd: 0 };
}

const STAT_BUF = Buffer.alloc(4096);

/** PF_KTHREAD (include/linux/sched.h): a kernel thread, whose command line is empty for its whole life. */
const PF_KTHREAD = 0x00200000;

/**
 * Reads a small /proc file into one reused buffer and returns its length, or -1 when it cannot be read.
 * readFileSync would allocate a fresh 64 KiB buffer per call (/proc files report size 0): at 1,000
 * processes a poll, that was half the poll's cost and most of the poll loop's memory churn.
 */
function readSmall(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return -1;
  }
  try {
    return fs.readSync(fd, STAT_BUF, 0, STAT_BUF.length, 0);
  } catch {
    return -1;
  } finally {
    fs.closeSync(fd);
  }
}

/** True when the bytes `buf[start, end)` spell `text` (latin1), compared without making a string. */
function sameBytes(buf: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (buf[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

interface Cached {
  /** The kernel's command name when the command line was read: exec changes it, not the PID or start time. */
  comm: string;
  startTicks: number;
  startKey: string;
  uid: number;
  argv: string[];
  command: string;
  /** The last list() that saw it: entries of processes that are gone are dropped after each list. */
  seen: number;
  /** The last entry read, which list() hands out again where its caller accepts it. */
  last?: ProcEntry;
}

/**
 * /proc reader: one stat read per PID per poll (or none, where list()'s caller reuses the last entry); uid and
 * command line only for identities not seen before.
 */
export function createLinuxSource(): ProcSource {
  const { clockTicks, pageSize } = readAuxv();
  const bootMs = readBootTime();
  const cache = new Map<number, Cached>();
  let generation = 0;
  const f = newFields();

  /** Reads one process; undefined when it is gone, a zombie, or unreadable. */
  function entry(pid: number): ProcEntry | undefined {
    const n = readSmall(`/proc/${pid}/stat`);
    if (n < 0 || !parseStatBytes(STAT_BUF, n, f)) return undefined;
    if (f.state === 90 || f.state === 88) return undefined; // Z, X: a zombie counts as gone
    let c = cache.get(pid);
    // A child read between fork and exec still shows its parent's command line: the comm tells an exec happened
    if (!c || c.startTicks !== f.startTicks || !sameBytes(STAT_BUF, f.commStart, f.commEnd, c.comm)) {
      const comm = STAT_BUF.toString('latin1', f.commStart, f.commEnd);
      let uid: number;
      let raw: string;
      try {
        uid = fs.statSync(`/proc/${pid}`).uid;
        raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        return undefined;
      }
      const argv = raw.split('\0');
      if (argv.at(-1) === '') argv.pop();
      const fresh: Cached = { comm, startTicks: f.startTicks, startKey: String(f.startTicks), uid, argv, command: argv.join(' '), seen: generation };
      // A process with an empty cmdline (exiting, or a zombie) is not cached, it may exec later; a kernel thread
      // is (some 50 to 200 of them, each read again at every poll otherwise): the only one that execs, a
      // usermode helper (modprobe), changes its comm. Nor a pyenv or asdf shim (`bash ~/.pyenv/shims/python3
      // x.py`, or `/usr/bin/env bash ~/.pyenv/shims/python3 x.py` while env runs its shebang, whose comm is
      // already the shim's name): the Python it execs has the same comm, `python3`
      const kernel = (f.flags & PF_KTHREAD) !== 0;
      const shim = (argv[1]?.includes('/shims/') ?? false) || (argv[2]?.includes('/shims/') ?? false);
      if ((argv.length > 0 || kernel) && !shim) cache.set(pid, fresh);
      c = fresh;
    }
    c.seen = generation;
    const out: ProcEntry = {
      pid,
      ppid: f.ppid,
      pgid: f.pgid,
      sid: f.sid,
      uid: c.uid,
      startKey: c.startKey,
      startedAt: bootMs + (f.startTicks * 1000) / clockTicks,
      cpuSeconds: f.cpuTicks / clockTicks,
      rss: f.rssPages * pageSize,
      state: String.fromCharCode(f.state),
      argv: c.argv,
      command: c.command,
    };
    c.last = out;
    return out;
  }

  return {
    list(uid?: number, reuse?: (last: ProcEntry) => boolean): ProcEntry[] {
      generation++;
      const out: ProcEntry[] = [];
      for (const name of fs.readdirSync('/proc')) {
        const code = name.charCodeAt(0);
        if (code < 48 || code > 57) continue;
        const pid = Number(name);
        // Still listed, and its caller takes the last entry as it is: no open, read, close, parse
        const c = reuse && cache.get(pid);
        const last = c ? c.last : undefined;
        let p: ProcEntry | undefined;
        if (last && reuse!(last)) {
          c!.seen = generation;
          p = last;
        } else p = entry(pid);
        if (p && (uid === undefined || p.uid === uid)) out.push(p);
      }
      for (const [pid, c] of cache) if (c.seen !== generation) cache.delete(pid);
      return out;
    },
    read(pid: number): ProcEntry | undefined {
      if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
      return entry(pid);
    },
    cwd(pid: number): string | undefined {
      try {
        return fs.readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        return undefined;
      }
    },
    hasEnv(pid: number, variable: string): boolean {
      let env: Buffer;
      try {
        env = fs.readFileSync(`/proc/${pid}/environ`);
      } catch {
        return false;
      }
      // Entries are NUL-terminated: match a whole entry, not the tail of another one
      const needle = Buffer.from(`${variable}\0`);
      for (let at = env.indexOf(needle); at >= 0; at = env.indexOf(needle, at + 1)) if (at === 0 || env[at - 1] === 0) return true;
      return false;
    },
    children: !fs.existsSync(`/proc/self/task/${process.pid}/children`) ? undefined : (pid: number): number[] => {
      const out: number[] = [];
      let tasks: string[];
      try {
        tasks = fs.readdirSync(`/proc/${pid}/task`);
      } catch {
        return out;
      }
      for (const tid of tasks) {
        const file = `/proc/${pid}/task/${tid}/children`;
        let n = readSmall(file);
        let buf: Uint8Array = STAT_BUF;
        // Over 4 KiB (some 500 children): read it whole, or the last PID would be cut in two
        if (n === STAT_BUF.length) {
          try {
            buf = fs.readFileSync(file);
            n = buf.length;
          } catch {
            continue;
          }
        }
        // "123 456 ": PIDs, each followed by a space
        let value = 0;
        for (let i = 0; i < n; i++) {
          const c = buf[i]!;
          if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
          else if (value > 0) {
            out.push(value);
            value = 0;
          }
        }
        if (value > 0) out.push(value);
      }
      return out;
    },
  };
}
