#!/usr/bin/env node
// Bundles the command line (tsc's out/main/cli/main.js and everything it imports, dependencies included)
// into out/cli/, one file plus a chunk per lazy import (the supervisor with execa, conf, systeminformation).
// Node then loads a handful of files instead of some 400 modules: `start` reaches a running robot about
// 60 ms sooner and the detached supervisor's RSS is about 12 MB smaller (bench/start.ts, bench/idle.ts).
// With Vite's server-side build, which Vitest already brings; Node's built-in modules stay imports.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  root,
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: path.join(root, 'out', 'main', 'cli', 'main.js'),
    outDir: path.join(root, 'out', 'cli'),
    emptyOutDir: true,
    minify: false,
    target: 'node22',
    // Hashed chunk names: a long-running process of an older build that imports a chunk lazily fails loudly
    // instead of binding another build's exports
    rollupOptions: { output: { format: 'es', entryFileNames: 'main.mjs', chunkFileNames: '[name]-[hash].mjs' } },
  },
});
// the detached supervisor (supervise/detached/supervisor.py) and its schema, read from beside the bundle when a detached supervisor hands over (detached.ts)
fs.cpSync(path.join(root, 'main', 'engine', 'supervise', 'detached'), path.join(root, 'out', 'cli', 'detached'), {
  recursive: true,
  filter: (src) => !src.includes('__pycache__'),
});
console.log('built out/cli/main.mjs (and out/cli/detached/)');
