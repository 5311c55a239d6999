import type { CpuClockVerdict } from './cpu-clock.js';

/** One process as read from the OS in one poll. */
export interface ProcSample {
  /** Process ID. */
  pid: number;
  /** Parent process ID. */
  ppid: number;
  /** Process group ID. */
  pgid: number;
  /** Session ID (0 where the platform does not tell). */
  sid: number;
  /** Owner's real user ID. */
  uid: number;
  /** Start time as the OS records it, exact enough to tell two processes of one PID apart. */
  startKey: string;
  /** Start time, epoch milliseconds. */
  startedAt: number;
  /** CPU time used so far, user + system, seconds. */
  cpuSeconds: number;
  /** Resident set size, bytes. */
  rss: number;
  /** One-letter state; `Z` is a zombie, which counts as gone. */
  state: string;
}

/** A sampled process with its command line (read once per identity). */
export interface ProcEntry extends ProcSample {
  /** The argument vector. */
  argv: string[];
  /** The argument vector joined by spaces, as `ps` shows it. */
  command: string;
}

/** What identifies one process for its whole life: PID + start time (+ command, checked by callers). */
export interface ProcIdentity {
  /** Process ID. */
  pid: number;
  /** Start time key of {@link ProcSample.startKey}. */
  startKey: string;
}

/** A platform's way of reading processes. */
export interface ProcSource {
  /**
   * Every process visible to this user, with command lines; `uid` filters to one owner. With `reuse`, a
   * process still listed whose last entry `reuse` accepts is returned as that same entry object, not read
   * again (where reading costs per process: Linux); a reader may ignore it and read everything.
   */
  list(uid?: number, reuse?: (last: ProcEntry) => boolean): ProcEntry[];
  /** One process by PID, or undefined when it does not exist or is a zombie. */
  read(pid: number): ProcEntry | undefined;
  /** The process's working folder, when it can be read. */
  cwd(pid: number): string | undefined;
  /** The working folder read without blocking the event loop, where reading it costs a process (macOS: lsof); cached for {@link cwd}. */
  cwdAsync?(pid: number): Promise<string | undefined>;
  /** The working folder if already read (null: read, and unknown), without reading it; undefined when not read yet. */
  cwdCached?(pid: number): string | null | undefined;
  /** What the start-up CPU clock check found, where CPU times come from `ps` (macOS); see cpu-clock.ts. */
  cpuClock?(): CpuClockVerdict;
  /** Direct children of a process, where the platform tells them cheaply (Linux); else absent. */
  children?(pid: number): number[];
  /** True when the process's environment holds `entry` (`NAME=value`, exactly), where the platform tells (Linux); else absent. */
  hasEnv?(pid: number, entry: string): boolean;
  /**
   * The PIDs of this user's processes whose environment holds `entry` (`NAME=value`, exactly), read at
   * once, where reading one environment costs as much as reading them all (macOS: one `ps -E`); else
   * absent. For a stop only, never for a poll.
   */
  withEnv?(entry: string): Set<number>;
}

/**
 * The processes among `all` whose environment holds `entry`: one read where the platform lists them at
 * once ({@link ProcSource.withEnv}), else one check per process ({@link ProcSource.hasEnv}); undefined
 * where the platform cannot tell.
 */
export function carrying(source: ProcSource, all: readonly ProcEntry[], entry: string): Set<number> | undefined {
  if (source.withEnv) return source.withEnv(entry);
  const hasEnv = source.hasEnv?.bind(source);
  if (!hasEnv) return undefined;
  return new Set(all.filter((p) => hasEnv(p.pid, entry)).map((p) => p.pid));
}

/** True while the process of this identity runs: its PID exists with the same start time, and is no zombie. */
export function isAlive(source: ProcSource, id: ProcIdentity): boolean {
  return source.read(id.pid)?.startKey === id.startKey;
}
