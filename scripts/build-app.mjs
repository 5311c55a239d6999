#!/usr/bin/env node
// Bundles the two parts of the app that cannot load Node modules one by one:
//  - the sandboxed preload, to one CommonJS file (sandboxed preloads may only require `electron`);
//  - the renderer (index.html, its modules and styles), for Chromium.
// With Vite, which Vitest already brings (it is Vitest's own peer dependency); main is compiled by tsc.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quiet = { configFile: false, logLevel: 'warn', publicDir: false };

await build({
  ...quiet,
  root,
  build: {
    outDir: path.join(root, 'out', 'preload'),
    emptyOutDir: true,
    minify: false,
    target: 'chrome140',
    lib: { entry: path.join(root, 'preload', 'index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});

await build({
  ...quiet,
  root: path.join(root, 'renderer'),
  base: './',
  build: {
    outDir: path.join(root, 'out', 'renderer'),
    emptyOutDir: true,
    target: 'chrome140',
    modulePreload: false,
    assetsInlineLimit: 0,
  },
});
console.log('built out/preload/index.cjs and out/renderer/');
