/** The process that listens on a TCP port. */
export interface PortHolder {
  /** Process ID. */
  pid: number;
  /** Its command line (the command name alone where the full line cannot be read). */
  command: string;
}

/** A platform's way of telling which TCP ports processes listen on (psutil's `net_connections`, narrowed to LISTEN). */
export interface PortReader {
  /**
   * The TCP ports each PID listens on, IPv4 and IPv6 together, sorted, each once. A live PID with no
   * listening socket maps to `[]`; a PID that is gone, or whose descriptors cannot be read (another
   * user's), has no entry. Never rejects: ports that cannot be read are simply absent.
   */
  listening(pids: readonly number[]): Promise<Map<number, number[]>>;
  /**
   * This user's process that listens on `port`, or undefined when none does (or only another user's
   * does). When a listening socket is shared by a parent and the children it forked, the topmost
   * holder is named: stopping it is what frees the port. Never rejects.
   */
  holder(port: number): Promise<PortHolder | undefined>;
}

/** How a reader is tuned; every field has a default fit for the app's poll. */
export interface PortReaderOptions {
  /** macOS: the lsof binary (default /usr/sbin/lsof). */
  lsof?: string;
  /** macOS: the ps binary, for a holder's whole command line (default /bin/ps). */
  ps?: string;
  /** macOS: how long one PID set's answer is reused, ms (default 1000): status and popover share one lsof. */
  cacheMs?: number;
  /** Linux: how long the kernel's LISTEN tables are reused while no new socket shows up, ms (default 5000). */
  recheckMs?: number;
  /** Clock, epoch ms (tests). */
  now?: () => number;
}

/** A process found holding a socket, with its parent so that the topmost of several can be picked. */
export interface HolderCandidate {
  pid: number;
  ppid: number;
  command: string;
}

/** The topmost of the holders of one socket: the one whose parent does not hold it too (lowest PID on a tie). */
export function topHolder(candidates: readonly HolderCandidate[]): HolderCandidate | undefined {
  const pids = new Set(candidates.map((c) => c.pid));
  const roots = candidates.filter((c) => !pids.has(c.ppid));
  const pool = roots.length > 0 ? roots : candidates;
  return pool.toSorted((a, b) => a.pid - b.pid)[0];
}

/** Ports sorted ascending, each once (a server on `0.0.0.0:8000` and `[::]:8000` listens on one port). */
export function sortedPorts(ports: Iterable<number>): number[] {
  return [...new Set(ports)].toSorted((a, b) => a - b);
}

/** True for a TCP port number (1-65535). */
export function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}
