// Processes the bench starts: tracked by (PID, start time), signalled only by PID, always ended, even on failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** Environment variable put on everything the bench starts; its descendants inherit it, which makes the last-resort sweep exact. */
export const RUN_MARK = 'BBIA_BENCH_RUN';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
export const CLK_TCK = 100;

/** The fields after the command name of /proc/<pid>/stat (f[0] is field 3, state), or undefined when gone. */
export function statFields(pid: number): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Start time in clock ticks since boot: with the PID, the process's identity. */
export function startTicks(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** True while a PID exists and is not a zombie. */
export function alive(pid: number): boolean {
  const f = statFields(pid);
  return f !== undefined && f[0] !== 'Z' && f[0] !== 'X';
}

/** utime + stime of one process, ms (10 ms resolution). */
export function cpuMsOf(pid: number): number | undefined {
  const f = statFields(pid);
  return f ? ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK : undefined;
}

/** CPU time of every thread of a process from /proc/<pid>/task/<tid>/schedstat, ms with ns precision. */
export function schedCpuMsOf(pid: number): number | undefined {
  try {
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ')[0]);
      } catch {
        // thread gone
      }
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

/** VmRSS of a process, bytes. */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** This process's children's CPU (cutime + cstime of /proc/self/stat): waited-for children and their waited-for descendants, ms. */
export function childrenCpuMs(): number {
  const f = statFields(process.pid)!;
  return ((Number(f[13]) + Number(f[14])) * 1000) / CLK_TCK;
}

const HAS_PROC = fs.existsSync('/proc/self/stat');

/** Count of processes on the machine (numeric entries of /proc; without /proc, the lines of `ps -A`). */
export function processCount(): number {
  if (!HAS_PROC) return spawnSync('ps', ['-A', '-o', 'pid='], { encoding: 'utf8' }).stdout.trim().split('\n').length;
  return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
}

const tracked = new Map<number, string | undefined>();

/** Remembers processes the bench started (directly or not), so they are ended whatever happens. */
export function track(...pids: number[]): void {
  for (const pid of pids) if (Number.isSafeInteger(pid) && pid > 0 && !tracked.has(pid)) tracked.set(pid, startTicks(pid));
}

/** Signals one tracked process, only while its start time still matches what was recorded. */
export function signalTracked(pid: number, signal: NodeJS.Signals): boolean {
  const ticks = tracked.get(pid) ?? startTicks(pid);
  if (ticks === undefined || startTicks(pid) !== ticks || !alive(pid)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** PIDs of this process and its ancestors: never signalled by a sweep. */
function selfAndAncestors(): Set<number> {
  const out = new Set<number>();
  for (let pid = process.pid; pid > 1 && !out.has(pid); pid = Number(statFields(pid)?.[1] ?? 0)) out.add(pid);
  return out;
}

/** Every live process carrying this run's mark in its environment (started by this bench run, or by what it started). */
export function markedProcesses(runId: string): number[] {
  const needle = Buffer.from(`\0${RUN_MARK}=${runId}\0`);
  const first = Buffer.from(`${RUN_MARK}=${runId}\0`);
  const out: number[] = [];
  // Without /proc (macOS) environments cannot be read: what the bench started there is ended by its handles
  if (!HAS_PROC) return out;
  const skip = selfAndAncestors();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (skip.has(pid)) continue;
    try {
      const env = fs.readFileSync(`/proc/${pid}/environ`);
      if ((env.includes(needle) || env.subarray(0, first.length).equals(first)) && alive(pid)) out.push(pid);
    } catch {
      // gone, or not readable
    }
  }
  return out;
}

/** SIGKILL to every tracked process still itself, then to every process marked with this run: synchronous, safe in an exit handler. */
export function endEverything(runId: string | undefined): number {
  let n = 0;
  for (const pid of tracked.keys()) if (signalTracked(pid, 'SIGKILL')) n++;
  tracked.clear();
  if (runId) {
    for (const pid of markedProcesses(runId)) {
      try {
        process.kill(pid, 'SIGKILL');
        n++;
      } catch {
        // gone
      }
    }
  }
  return n;
}

/** Polls `cond` every ~1 ms until it holds; the ms it took from `t0` (performance.now), or undefined on timeout. */
export async function waitUntil(cond: () => boolean, t0: number, timeoutMs: number, stepMs = 1): Promise<number | undefined> {
  for (;;) {
    if (cond()) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) return undefined;
    await delay(stepMs);
  }
}

const idleChildren = new Map<number, ChildProcess>();

/** Starts `n` idle `sleep` processes (tracked) and returns their PIDs once every one runs. */
export async function startIdle(n: number, env: NodeJS.ProcessEnv): Promise<number[]> {
  const pids: number[] = [];
  const running: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const child = spawn('/bin/sleep', ['600'], { stdio: 'ignore', env });
    // 'spawn' comes once the exec succeeded: the process runs sleep
    running.push(new Promise((resolve) => child.once('spawn', resolve).once('error', resolve)));
    child.unref();
    if (child.pid) {
      pids.push(child.pid);
      idleChildren.set(child.pid, child);
      track(child.pid);
    }
    if (i % 100 === 99) await delay(1);
  }
  await Promise.all(running);
  return pids;
}

/** Ends idle processes through their handles and waits until they are reaped (no zombie left to skew the next count). */
export async function endIdle(pids: readonly number[]): Promise<void> {
  await Promise.all(
    pids.map((pid) => {
      const child = idleChildren.get(pid);
      idleChildren.delete(pid);
      tracked.delete(pid);
      if (!child || child.exitCode !== null || child.signalCode !== null) return undefined;
      // 'exit' comes after Node reaped it
      return new Promise((resolve) => {
        child.ref(); // an unref'd child would not keep this process alive until its 'exit'
        child.once('exit', resolve);
        child.kill('SIGKILL');
      });
    }),
  );
}
