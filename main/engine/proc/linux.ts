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

/** Parses the fields after the command name of /proc/<pid>/stat; undefined when malformed. */
export function parseStat(pid: number, text: string, clockTicks: number, pageSize: number, bootMs: number): ProcSample | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); field n is f[n - 3]
  if (f.length < 22) return undefined;
  const startTicks = Number(f[19]);
  return {
    pid,
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    sid: Number(f[3]),
    uid: -1,
    startKey: String(startTicks),
    startedAt: bootMs + (startTicks * 1000) / clockTicks,
    cpuSeconds: (Number(f[11]) + Number(f[12])) / clockTicks,
    rss: Number(f[21]) * pageSize,
    state: f[0] ?? '?',
  };
}

const STAT_BUF = Buffer.alloc(4096);

/**
 * Reads a small /proc file into one reused buffer. readFileSync would allocate a fresh 64 KiB buffer
 * per call (/proc files report size 0): at 1,000 processes a poll, that was half the poll's cost and
 * most of the poll loop's memory churn (bench/idle.ts).
 */
function readSmall(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const n = fs.readSync(fd, STAT_BUF, 0, STAT_BUF.length, 0);
    return STAT_BUF.toString('latin1', 0, n);
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** The command name of a stat line (between the first '(' and the last ')'). */
function commOf(text: string): string {
  return text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
}

interface Cached {
  /** The kernel's command name when the command line was read: exec changes it, not the PID or start time. */
  comm: string;
  startKey: string;
  uid: number;
  argv: string[];
  command: string;
}

/** /proc reader: one stat read per PID per poll; uid and command line only for identities not seen before. */
export function createLinuxSource(): ProcSource {
  const { clockTicks, pageSize } = readAuxv();
  const bootMs = readBootTime();
  const cache = new Map<number, Cached>();

  const comms = new Map<number, string>();

  function sample(pid: number): ProcSample | undefined {
    const text = readSmall(`/proc/${pid}/stat`);
    if (text === undefined) return undefined;
    const parsed = parseStat(pid, text, clockTicks, pageSize, bootMs);
    if (parsed) comms.set(pid, commOf(text));
    return parsed;
  }

  function describe(s: ProcSample): ProcEntry | undefined {
    let c = cache.get(s.pid);
    const comm = comms.get(s.pid) ?? '';
    // A child read between fork and exec still shows its parent's command line: the comm tells an exec happened
    if (!c || c.startKey !== s.startKey || c.comm !== comm) {
      let uid: number;
      let raw: string;
      try {
        uid = fs.statSync(`/proc/${s.pid}`).uid;
        raw = fs.readFileSync(`/proc/${s.pid}/cmdline`, 'utf8');
      } catch {
        return undefined;
      }
      const argv = raw.split('\0');
      if (argv.at(-1) === '') argv.pop();
      // A kernel thread or a zombie has an empty cmdline: do not cache it, it may exec later
      if (argv.length === 0) return { ...s, uid, argv, command: '' };
      c = { comm, startKey: s.startKey, uid, argv, command: argv.join(' ') };
      cache.set(s.pid, c);
    }
    return { ...s, uid: c.uid, argv: c.argv, command: c.command };
  }

  return {
    list(uid?: number): ProcEntry[] {
      const out: ProcEntry[] = [];
      const seen = new Set<number>();
      for (const name of fs.readdirSync('/proc')) {
        const code = name.charCodeAt(0);
        if (code < 48 || code > 57) continue;
        const pid = Number(name);
        const s = sample(pid);
        if (!s) continue;
        seen.add(pid);
        if (s.state === 'Z' || s.state === 'X') continue;
        const entry = describe(s);
        if (!entry || (uid !== undefined && entry.uid !== uid)) continue;
        out.push(entry);
      }
      for (const pid of cache.keys()) if (!seen.has(pid)) cache.delete(pid);
      for (const pid of comms.keys()) if (!seen.has(pid)) comms.delete(pid);
      return out;
    },
    read(pid: number): ProcEntry | undefined {
      if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
      const s = sample(pid);
      if (!s || s.state === 'Z' || s.state === 'X') return undefined;
      return describe(s);
    },
    cwd(pid: number): string | undefined {
      try {
        return fs.readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        return undefined;
      }
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
        const text = readSmall(`/proc/${pid}/task/${tid}/children`);
        if (text) for (const c of text.trim().split(' ')) if (c) out.push(Number(c));
      }
      return out;
    },
  };
}
