import { execFileSync } from 'node:child_process';
import type { ProcEntry, ProcSample, ProcSource } from './types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parses `ps` cputime (`[[dd-]hh:]mm:ss[.cc]`) into seconds. */
export function parseCpuTime(text: string): number {
  let days = 0;
  let rest = text;
  const dash = rest.indexOf('-');
  if (dash > 0) {
    days = Number(rest.slice(0, dash));
    rest = rest.slice(dash + 1);
  }
  let seconds = 0;
  for (const part of rest.split(':')) seconds = seconds * 60 + Number(part);
  return days * 86400 + seconds;
}

/** Parses `ps` lstart (`Thu Nov 26 10:00:00 2026`, local time) into epoch ms. */
export function parseLstart(parts: string[]): number {
  const [, mon, day, time, year] = parts;
  const [h, m, s] = (time ?? '0:0:0').split(':').map(Number);
  return new Date(Number(year), MONTHS.indexOf(mon ?? ''), Number(day), h, m, s).getTime();
}

/**
 * Parses one line of `ps -o pid=,ppid=,pgid=,uid=,rss=,cputime=,state=,lstart=`.
 * The lstart field is five words; everything is space-separated.
 */
export function parsePsLine(line: string): ProcSample | undefined {
  const w = line.trim().split(/\s+/);
  if (w.length < 12) return undefined;
  const startedAt = parseLstart(w.slice(7, 12));
  const pid = Number(w[0]);
  if (!Number.isSafeInteger(pid) || Number.isNaN(startedAt)) return undefined;
  return {
    pid,
    ppid: Number(w[1]),
    pgid: Number(w[2]),
    sid: 0,
    uid: Number(w[3]),
    rss: Number(w[4]) * 1024,
    cpuSeconds: parseCpuTime(w[5] ?? '0'),
    state: (w[6] ?? '?').charAt(0),
    startKey: String(startedAt / 1000),
    startedAt,
  };
}

const FIELDS = 'pid=,ppid=,pgid=,uid=,rss=,cputime=,state=,lstart=';

function ps(args: string[]): string {
  try {
    return execFileSync('/bin/ps', args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 << 20 });
  } catch (error) {
    // ps exits 1 when a -p list matches nothing
    return String((error as { stdout?: string }).stdout ?? '');
  }
}

/** macOS reader: one `ps` call per poll, a second one only for the command lines of new identities. */
export function createDarwinSource(): ProcSource {
  const cache = new Map<number, { startKey: string; command: string }>();

  function withCommands(samples: ProcSample[]): ProcEntry[] {
    const fresh = samples.filter((s) => cache.get(s.pid)?.startKey !== s.startKey).map((s) => s.pid);
    if (fresh.length > 0) {
      for (const line of ps(['-ww', '-o', 'pid=,command=', '-p', fresh.join(',')]).split('\n')) {
        const m = /^\s*(\d+)\s(.*)$/.exec(line);
        if (!m) continue;
        const pid = Number(m[1]);
        const s = samples.find((x) => x.pid === pid);
        if (s) cache.set(pid, { startKey: s.startKey, command: m[2] ?? '' });
      }
    }
    const out: ProcEntry[] = [];
    for (const s of samples) {
      const c = cache.get(s.pid);
      if (!c || c.startKey !== s.startKey || s.state === 'Z') continue;
      out.push({ ...s, command: c.command, argv: c.command.split(' ') });
    }
    return out;
  }

  return {
    list(uid?: number): ProcEntry[] {
      const args = uid === undefined ? ['-ax', '-o', FIELDS] : ['-x', '-U', String(uid), '-o', FIELDS];
      const samples = ps(args)
        .split('\n')
        .map(parsePsLine)
        .filter((s): s is ProcSample => s !== undefined);
      const live = new Set(samples.map((s) => s.pid));
      for (const pid of cache.keys()) if (!live.has(pid)) cache.delete(pid);
      return withCommands(samples);
    },
    read(pid: number): ProcEntry | undefined {
      if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
      const s = parsePsLine(ps(['-o', FIELDS, '-p', String(pid)]).split('\n')[0] ?? '');
      return s ? withCommands([s])[0] : undefined;
    },
    cwd: lsofCwd,
  };
}

function lsofCwd(pid: number): string | undefined {
  try {
    const out = execFileSync('/usr/sbin/lsof', ['-a', '-d', 'cwd', '-p', String(pid), '-Fn'], { encoding: 'utf8' });
    const line = out.split('\n').find((l) => l.startsWith('n'));
    return line?.slice(1);
  } catch {
    return undefined;
  }
}
