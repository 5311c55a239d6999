import { execFile } from 'node:child_process';
import { parseLsofFields, portOfLsofName } from './lsof-fields.js';
import { isPort, sortedPorts, topHolder, type PortReader, type PortReaderOptions } from './types.js';

/**
 * Runs a tool asynchronously (the app's main process must never block on lsof's tens of ms); resolves
 * its stdout. lsof exits 1 when any selection found nothing (a PID gone, no listening socket), with
 * whatever it did find on stdout, so exit 1 still yields stdout. Any other failure (no such tool, a
 * hang past 5 s, a signal) resolves undefined.
 */
function run(file: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', timeout: 5000, killSignal: 'SIGKILL', maxBuffer: 8 << 20 }, (error, stdout) => {
      resolve(!error || error.code === 1 ? stdout : undefined);
    });
  });
}

/**
 * True while a PID lives and is this user's (signal 0 checks without sending anything). Another user's
 * process answers EPERM: lsof cannot read its files either, so it gets no entry rather than a false [].
 */
function ownAndLive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * macOS reader on `lsof -F`, the tool the platform ships (psutil's `_psosx` reads the same sockets with
 * libproc's proc_pidfdinfo from C, which Node cannot call). One lsof per PID set, reused for `cacheMs`.
 * lsof run by a user lists only that user's files, so another user's PID has no entry.
 */
export function createLsofPortReader(options: PortReaderOptions = {}): PortReader {
  const lsof = options.lsof ?? '/usr/sbin/lsof';
  const ps = options.ps ?? '/bin/ps';
  const cacheMs = options.cacheMs ?? 1000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; answer: Promise<Map<number, number[]>> }>();

  async function read(pids: number[]): Promise<Map<number, number[]>> {
    const text = await run(lsof, ['-w', '-nP', '-a', '-iTCP', '-sTCP:LISTEN', '-p', pids.join(','), '-F', 'pn']);
    const out = new Map<number, number[]>();
    if (text === undefined) return out;
    for (const p of parseLsofFields(text)) {
      if (!pids.includes(p.pid)) continue;
      out.set(p.pid, sortedPorts(p.names.flatMap((name) => portOfLsofName(name) ?? [])));
    }
    // lsof lists only PIDs with a listening socket: a live one without is [], a gone one has no entry
    for (const pid of pids) if (!out.has(pid) && ownAndLive(pid)) out.set(pid, []);
    return out;
  }

  return {
    async listening(asked) {
      const pids = [...new Set(asked.filter((pid) => Number.isSafeInteger(pid) && pid > 0))].toSorted((a, b) => a - b);
      if (pids.length === 0) return new Map();
      const key = pids.join(',');
      const t = now();
      for (const [k, entry] of cache) if (t - entry.at >= cacheMs) cache.delete(k);
      let entry = cache.get(key);
      if (!entry) {
        entry = { at: t, answer: read(pids) };
        cache.set(key, entry);
      }
      const answer = await entry.answer;
      return new Map([...answer].map(([pid, ports]) => [pid, [...ports]]));
    },

    async holder(port) {
      if (!isPort(port)) return undefined;
      const text = await run(lsof, ['-w', '-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-F', 'pcR']);
      const top = topHolder(parseLsofFields(text ?? ''));
      if (!top) return undefined;
      // lsof's `c` is the short command name, not the command line that ps gives
      const line = (await run(ps, ['-ww', '-o', 'command=', '-p', String(top.pid)]))?.trim();
      return { pid: top.pid, command: line || top.command };
    },
  };
}
