// Counts every process this Node process starts, for bench/supervise.ts: imported there, and preloaded
// (`node --import`) into the command line it measures. Node starts a child through one of two doors:
// ChildProcess.prototype.spawn (spawn, execFile, exec, execa) and the spawn_sync binding (spawnSync,
// execFileSync, execSync). Both are wrapped; each start is kept as { at, file, args } and, when
// BBIA_BENCH_FORK_LOG names a file, appended to it as one JSON line.
import { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** Every process started so far: epoch ms, the program, its arguments (argv[1..]). */
export const forks = [];
const logFile = process.env.BBIA_BENCH_FORK_LOG;

function note(file, args) {
  const entry = { at: Date.now(), file: String(file), args: (args ?? []).slice(1).map(String) };
  forks.push(entry);
  if (logFile) fs.appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
}

const asyncSpawn = ChildProcess.prototype.spawn;
ChildProcess.prototype.spawn = function spawn(options) {
  note(options?.file, options?.args);
  return asyncSpawn.call(this, options);
};

// The synchronous door has no public hook; process.binding() still hands out the same binding object
const sync = process.binding('spawn_sync');
const syncSpawn = sync.spawn;
sync.spawn = function spawn(options) {
  note(options?.file, options?.args);
  return syncSpawn.call(this, options);
};
