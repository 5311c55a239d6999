// Forks of one process over a window, counted by strace (bench/idle.ts: the detached supervisor).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { signalTracked, track } from './procs.ts';

/** strace's path, installing it (Debian, as root) when missing; undefined when there is none. */
function strace(): string | undefined {
  const which = () => spawnSync('sh', ['-c', 'command -v strace'], { encoding: 'utf8' }).stdout.trim() || undefined;
  if (!which() && process.getuid?.() === 0) spawnSync('apt-get', ['install', '-y', '-qq', 'strace'], { stdio: 'ignore' });
  return which();
}

/**
 * Counts the forks of `pid` (fork, vfork, clone, clone3: Python's posix_spawn is a clone) over `seconds`,
 * with `strace -p` on that process alone (not -f: a child's own threads are not its forks). Per minute;
 * undefined without strace or when it could not attach (ptrace not allowed).
 */
export async function forksOf(pid: number, seconds: number, dir: string): Promise<number | undefined> {
  const bin = strace();
  if (!bin) return undefined;
  const out = path.join(dir, `strace-${pid}.txt`);
  const tracer = spawn(bin, ['-qq', '-e', 'trace=fork,vfork,clone,clone3', '-o', out, '-p', String(pid)], { stdio: 'ignore' });
  track(tracer.pid!);
  const exited = new Promise<number | null>((resolve) => tracer.on('close', resolve));
  const t0 = performance.now();
  await delay(seconds * 1000);
  const minutes = (performance.now() - t0) / 60_000;
  signalTracked(tracer.pid!, 'SIGINT'); // detaches
  if ((await exited) !== 0 && !fs.existsSync(out)) return undefined;
  const lines = fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\n') : [];
  return lines.filter((l) => /^(fork|vfork|clone3?)\(/.test(l)).length / minutes;
}
