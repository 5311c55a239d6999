#!/usr/bin/env node
// The bbia-safe command line: checks the Node version, then runs the bundled CLI (npm run build).
import module from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`Error: bbia-safe needs Node.js 22 or later; this is ${process.version}.`);
  console.error('  -> install Node.js 24 (the version in .nvmrc), for example with: nvm install');
  process.exit(1);
}
// Cache compiled code between runs (Node 22.1+): a short-lived command pays its start-up once
module.enableCompileCache?.();
import('../out/cli/main.mjs').then(
  (cli) => cli.run(),
  (error) => {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
      console.error('Error: bbia-safe is not built yet.');
      console.error('  -> run: npm run build');
      process.exit(1);
    }
    throw error;
  },
);
