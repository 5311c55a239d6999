// One reader polled N times in a fresh Node process, for the macOS mode of bench/poll.ts, which runs it
// under bench/py/rusage_run.py: the CPU of the process and of the `ps` children it waited for comes from
// wait4(), since macOS has no /proc to read it from. Prints one JSON line per poll: {"wall": ms}.
// Usage: node bench/lib/poll-child.mjs ps|si POLLS PROJECT_DIR   (POLLS 0: start-up and one warm-up poll only)
import { setTimeout as delay } from 'node:timers/promises';
import si from 'systeminformation';
import { createDarwinSource } from '../../out/main/engine/scan/proc/darwin.js';
import { Scanner } from '../../out/main/engine/scan/scan.js';

const [reader, polls, project] = process.argv.slice(2);
let poll;
let gapMs = 0;
if (reader === 'ps') {
  const scanner = new Scanner(createDarwinSource());
  const ctx = { projectRoots: [project ?? '/nonexistent'], exclude: new Set([process.pid]) };
  poll = () => scanner.scan(ctx);
} else if (reader === 'si') {
  poll = () => si.processes();
  // si.processes() answers from a 500 ms cache when asked again sooner: a 1 Hz poll waits
  gapMs = 510;
} else {
  throw new Error(`unknown reader ${reader}`);
}
await poll();
for (let i = 0; i < Number(polls); i++) {
  if (gapMs > 0) await delay(gapMs);
  const t0 = performance.now();
  await poll();
  console.log(JSON.stringify({ wall: performance.now() - t0 }));
}
