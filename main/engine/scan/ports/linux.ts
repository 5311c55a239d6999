import fs from 'node:fs';
import { isPort, sortedPorts, topHolder, type HolderCandidate, type PortReader, type PortReaderOptions } from './types.js';

/** The kernel's TCP tables: IPv4, then IPv6 (absent when the kernel has no IPv6). */
const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];
/** `st` of a socket in LISTEN (include/net/tcp_states.h: TCP_LISTEN = 10). */
const LISTEN = '0A';

/**
 * Parses one /proc/net/tcp or tcp6 table into socket inode -> local port, for LISTEN sockets only.
 * A line reads `sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...`, each
 * address `HEXIP:HEXPORT`; the port is the same hex on both families, so no address decoding is needed.
 */
export function parseListenTable(text: string, into = new Map<string, number>()): Map<string, number> {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== LISTEN) continue;
    const local = f[1]!;
    const port = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    if (isPort(port) && f[9] !== '0') into.set(f[9]!, port);
  }
  return into;
}

/**
 * Every LISTEN socket of this network namespace, inode -> port. Read asynchronously: producing these
 * files walks the kernel's whole established-socket hash (262144 buckets on a 24 GB machine), some
 * 3-6 ms per file whatever the number of sockets, which the app's main thread must not wait for.
 */
async function readListenTables(): Promise<Map<string, number>> {
  // no IPv6 in this kernel: /proc/net/tcp6 is absent, read as empty
  const texts = await Promise.all(TABLES.map((file) => fs.promises.readFile(file, 'latin1').catch(() => '')));
  const table = new Map<string, number>();
  for (const text of texts) parseListenTable(text, table);
  return table;
}

/** Inodes of the sockets a process holds open (`socket:[inode]` links in /proc/PID/fd); undefined when it is gone or unreadable. */
function socketInodes(pid: number): string[] | undefined {
  const dir = `/proc/${pid}/fd`;
  let fds: string[];
  try {
    fds = fs.readdirSync(dir);
  } catch {
    return undefined;
  }
  const inodes: string[] = [];
  for (const fd of fds) {
    try {
      const link = fs.readlinkSync(`${dir}/${fd}`);
      if (link.startsWith('socket:[')) inodes.push(link.slice(8, -1));
    } catch {
      // closed between the listing and the readlink
    }
  }
  return inodes;
}

function readPpid(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

function readCommand(pid: number): string {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv.at(-1) === '') argv.pop();
    if (argv.length > 0) return argv.join(' ');
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function ownedBy(pid: number, uid: number | undefined): boolean {
  try {
    return uid === undefined || fs.statSync(`/proc/${pid}`).uid === uid;
  } catch {
    return false;
  }
}

/**
 * Linux reader, on /proc as psutil's `_pslinux.NetConnections` does: the asked PIDs' fd links give
 * their socket inodes (a synchronous read, some 10 µs a descriptor), and /proc/net/tcp{,6} tells which
 * inodes listen, on what port. Those tables cost milliseconds (see readListenTables), so they are read
 * only when a socket shows up that the last read did not see, or once `recheckMs` has passed (a socket
 * bound earlier may start listening later: uvicorn's --reload worker listens on its parent's socket).
 * Sockets of another network namespace (a container) are not in this namespace's tables and are not seen.
 */
export function createLinuxPortReader(options: PortReaderOptions = {}): PortReader {
  const recheckMs = options.recheckMs ?? 5000;
  const now = options.now ?? Date.now;
  let table = new Map<string, number>();
  let seen = new Set<string>();
  let readAt = Number.NEGATIVE_INFINITY;

  return {
    async listening(pids) {
      const held = new Map<number, string[]>();
      for (const pid of new Set(pids)) {
        if (!Number.isSafeInteger(pid) || pid <= 0) continue;
        const inodes = socketInodes(pid);
        if (inodes) held.set(pid, inodes);
      }
      const all = [...held.values()].flat();
      const t = now();
      if (all.length > 0 && (t - readAt >= recheckMs || all.some((inode) => !seen.has(inode)))) {
        readAt = t;
        seen = new Set(all);
        table = await readListenTables();
      }
      const out = new Map<number, number[]>();
      for (const [pid, inodes] of held) {
        out.set(pid, sortedPorts(inodes.flatMap((inode) => table.get(inode) ?? [])));
      }
      return out;
    },

    async holder(port) {
      if (!isPort(port)) return undefined;
      const wanted = new Set<string>();
      for (const [inode, p] of await readListenTables()) if (p === port) wanted.add(inode);
      if (wanted.size === 0) return undefined;
      const uid = process.getuid?.();
      const found: HolderCandidate[] = [];
      for (const name of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) continue;
        const pid = Number(name);
        if (!ownedBy(pid, uid) || !socketInodes(pid)?.some((inode) => wanted.has(inode))) continue;
        found.push({ pid, ppid: readPpid(pid), command: readCommand(pid) });
      }
      const top = topHolder(found);
      return top && { pid: top.pid, command: top.command };
    },
  };
}
