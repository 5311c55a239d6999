// The engine's poll loop alone in a fresh Node process: N Scanner.scan calls, printing memory at five marks.
// Usage (by bench/idle.ts): node --expose-gc bench/lib/poll-loop.mjs POLLS PROJECT_DIR
// Plain JavaScript, not TypeScript: Node's type stripper would add its own ~18 MB to the RSS measured.
import { createLinuxSource } from '../../out/main/engine/scan/proc/linux.js';
import { Scanner } from '../../out/main/engine/scan/scan.js';

const polls = Number(process.argv[2]);
const scanner = new Scanner(createLinuxSource());
const ctx = { projectRoots: [process.argv[3] ?? '/nonexistent'], exclude: new Set([process.pid]) };
const gc = globalThis.gc;
const mark = (at) => {
  gc?.();
  const m = process.memoryUsage();
  console.log(JSON.stringify({ at, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external + m.arrayBuffers }));
};
const t0 = performance.now();
for (let i = 0; i < 100; i++) scanner.scan(ctx);
mark(100);
for (let i = 100; i < polls; i++) {
  scanner.scan(ctx);
  if ((i + 1) % (polls / 4) === 0 || i + 1 === polls / 10) mark(i + 1);
  // let the event loop breathe, as a timer-driven poll would
  if (i % 50 === 0) await new Promise((r) => setImmediate(r));
}
console.log(JSON.stringify({ wallMs: performance.now() - t0, gc: gc !== undefined }));
