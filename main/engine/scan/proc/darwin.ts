import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { BbiaError } from '../../errors.js';
import { judgeCpuClock, ownCpuSeconds, type CpuClockVerdict } from './cpu-clock.js';
import { parsePsLine, psEnv, PS_FIELDS, type PsSample } from './ps-line.js';
import { splitCommand } from './split-command.js';
import type { ProcEntry, ProcSource } from './types.js';

export { parseCpuTime, parseLstart, parsePsLine, PS_FIELDS } from './ps-line.js';

/** Where the macOS reader finds its tools, and this process's own CPU count; tests pass fakes. */
export interface DarwinOptions {
  /** The `ps` to run. */
  ps?: string;
  /** The `lsof` to run. */
  lsof?: string;
  /** This process's CPU time so far, seconds (process.cpuUsage), compared once with what `ps` says of it. */
  ownCpu?: () => number;
}

interface Cached {
  startKey: string;
  /** The command name when the command line was read: `exec` changes it, not the PID or start time. */
  comm: string;
  command: string;
  /** The argument vector, paths with spaces kept whole (split-command.ts). */
  argv: string[];
  /** The working folder once read: null when lsof could not tell. */
  cwd?: string | null;
  /** An lsof under way (cwdAsync), shared by every caller meanwhile. */
  reading?: Promise<string | undefined>;
}

/** The `n` line of `lsof -Fn` output: the working folder. */
function cwdFromLsof(out: string): string | undefined {
  return out.split('\n').find((l) => l.startsWith('n'))?.slice(1);
}

/**
 * The PIDs of `ps -E -o pid=,command=` lines whose environment holds `entry` (`NAME=value`) as a whole
 * word. The environment follows the arguments, space-separated, so the command line read without `-E`
 * (`commandOf`) is cut off first: an argument that spells the mark (`grep BBIA_SAFE_INSTANCE=...`) is not
 * an environment, and a line whose command is unknown (or empty) is skipped rather than guessed. An
 * environment value that itself holds spaces and spells the mark is taken for the mark: accepted, as ps
 * prints no separator that could tell them apart.
 */
export function pidsCarrying(out: string, entry: string, commandOf: (pid: number) => string | undefined): Set<number> {
  const found = new Set<number>();
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s(.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const command = commandOf(pid);
    // An empty command line (a process that rewrote its argv) would make its arguments read as environment
    if (!command || !m[2]!.startsWith(command)) continue;
    if (m[2]!.slice(command.length).split(/\s+/).includes(entry)) found.add(pid);
  }
  return found;
}

/**
 * macOS reader: one `ps` call per poll, a second one only for the command lines of new identities or of
 * processes whose command name changed (an `exec`: a pyenv shim becoming Python keeps PID and start time).
 * Start times are read in UTC (psEnv); the working folder costs an lsof, read once per identity. The
 * environments (the instance mark) cost one `ps -E`, read by a stop only (withEnv).
 */
export function createDarwinSource(options: DarwinOptions = {}): ProcSource {
  const psPath = options.ps ?? '/bin/ps';
  const lsofPath = options.lsof ?? '/usr/sbin/lsof';
  const ownCpu = options.ownCpu ?? ownCpuSeconds;
  const cache = new Map<number, Cached>();
  let clock: CpuClockVerdict = { kind: 'undecided' };

  /**
   * One `ps`: its output (what it printed, even when it exits 1: a -p list that matched nothing) and its own
   * PID. A `ps` that could not run, or died, throws: an empty table would make every process look gone, and
   * a live lock owner look dead.
   */
  function run(args: string[]): { text: string; pid: number | undefined } {
    const r = spawnSync(psPath, args, { encoding: 'utf8', env: psEnv(), maxBuffer: 64 << 20 });
    if (r.error || r.signal || (r.status ?? 0) > 1) {
      throw BbiaError.of('psFailed', { ps: psPath, why: r.error?.message ?? (r.signal ? `killed by ${r.signal}` : `exit ${r.status}: ${String(r.stderr ?? '').trim()}`) });
    }
    return { text: String(r.stdout ?? ''), pid: r.pid };
  }

  function ps(args: string[]): string {
    return run(args).text;
  }

  /** Samples from one `ps`; judges the CPU clock on this process's own line until decided, then scales. */
  function readPs(args: string[]): PsSample[] {
    const before = clock.kind === 'undecided' ? ownCpu() : 0;
    const { text, pid } = run(args);
    const after = clock.kind === 'undecided' ? ownCpu() : 0;
    // Not the ps itself, which lists itself: a new identity every poll, whose command line would cost another ps
    const samples = text.split('\n').map(parsePsLine).filter((s): s is PsSample => s !== undefined && s.pid !== pid);
    const self = clock.kind === 'undecided' ? samples.find((s) => s.pid === process.pid) : undefined;
    if (self) clock = judgeCpuClock(self.cpuSeconds, before, after, self.cpuStep);
    if (clock.kind !== 'undecided' && clock.scale !== 1) for (const s of samples) s.cpuSeconds *= clock.scale;
    return samples;
  }

  function withCommands(samples: PsSample[]): ProcEntry[] {
    const stale = (s: PsSample) => {
      const c = cache.get(s.pid);
      return !c || c.startKey !== s.startKey || c.comm !== s.comm;
    };
    const fresh = samples.filter(stale).map((s) => s.pid);
    if (fresh.length > 0) {
      for (const line of ps(['-ww', '-o', 'pid=,command=', '-p', fresh.join(',')]).split('\n')) {
        const m = /^\s*(\d+)\s(.*)$/.exec(line);
        if (!m) continue;
        const pid = Number(m[1]);
        const s = samples.find((x) => x.pid === pid);
        if (s) cache.set(pid, { startKey: s.startKey, comm: s.comm, command: m[2] ?? '', argv: splitCommand(m[2] ?? '') });
      }
    }
    const out: ProcEntry[] = [];
    for (const s of samples) {
      const c = cache.get(s.pid);
      if (!c || c.startKey !== s.startKey || s.state === 'Z') continue;
      const { comm: _comm, cpuStep: _step, ...sample } = s;
      out.push({ ...sample, command: c.command, argv: c.argv });
    }
    return out;
  }

  /** The cache entry of a PID as last read (its identity then), for the working folder. */
  function known(pid: number): Cached | undefined {
    return Number.isSafeInteger(pid) && pid > 0 ? cache.get(pid) : undefined;
  }

  return {
    list(uid?: number): ProcEntry[] {
      const args = uid === undefined ? ['-axww', '-o', PS_FIELDS] : ['-xww', '-U', String(uid), '-o', PS_FIELDS];
      const samples = readPs(args);
      const live = new Set(samples.map((s) => s.pid));
      for (const pid of cache.keys()) if (!live.has(pid)) cache.delete(pid);
      return withCommands(samples);
    },
    read(pid: number): ProcEntry | undefined {
      if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
      const s = readPs(['-ww', '-o', PS_FIELDS, '-p', String(pid)])[0];
      return s ? withCommands([s])[0] : undefined;
    },
    cwd(pid: number): string | undefined {
      const c = known(pid);
      if (c?.cwd !== undefined) return c.cwd ?? undefined;
      let dir: string | undefined;
      try {
        dir = cwdFromLsof(execFileSync(lsofPath, ['-a', '-d', 'cwd', '-p', String(pid), '-Fn'], { encoding: 'utf8' }));
      } catch {
        dir = undefined;
      }
      if (c) c.cwd = dir ?? null;
      return dir;
    },
    cwdCached(pid: number): string | null | undefined {
      return known(pid)?.cwd;
    },
    cwdAsync(pid: number): Promise<string | undefined> {
      const c = known(pid);
      if (c?.cwd !== undefined) return Promise.resolve(c.cwd ?? undefined);
      if (c?.reading) return c.reading;
      const reading = new Promise<string | undefined>((resolve) => {
        execFile(lsofPath, ['-a', '-d', 'cwd', '-p', String(pid), '-Fn'], { encoding: 'utf8' }, (error, stdout) => {
          resolve(error ? undefined : cwdFromLsof(stdout));
        });
      }).then((dir) => {
        // Kept only if the PID still has the identity it had when the read began
        if (c && cache.get(pid) === c) c.cwd = dir ?? null;
        if (c) c.reading = undefined;
        return dir;
      });
      if (c) c.reading = reading;
      return reading;
    },
    withEnv(entry: string): Set<number> {
      // -E appends each process's environment (as it was at launch) to `command`; ps shows it only for
      // this user's processes (Apple's ps(1): "-E  Display the environment as well")
      const out = ps(['-xwwE', '-U', String(process.getuid?.() ?? 0), '-o', 'pid=,command=']);
      // The command lines as the last list() read them (a stop lists the table just before)
      return pidsCarrying(out, entry, (pid) => cache.get(pid)?.command);
    },
    cpuClock: () => clock,
  };
}
