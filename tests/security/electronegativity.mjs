#!/usr/bin/env node
/**
 * Runs Electronegativity (Doyensec's Electron security scanner) over main, preload and renderer,
 * sources and compiled out/, and fails on any finding or any file it could not parse.
 * The tool's own CLI exits 0 whatever it finds and skips `.cjs` files, so it is driven through its
 * programmatic runner; checks wrong for this app are switched off by name in .electronegativity.json.
 *
 * Usage: node tests/security/electronegativity.mjs [--json]
 */
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const config = JSON.parse(fs.readFileSync(path.join(root, '.electronegativity.json'), 'utf8'));
const tool = path.join(root, 'node_modules', '@doyensec', 'electronegativity');
const require = createRequire(path.join(tool, 'package.json'));

// Two loader fixes, scoped to the tool's own dependency tree (Module._load/_resolveFilename are the
// CJS hooks the tool's Babel-compiled code goes through):
//  - its TypeScript parser (@typescript-eslint/typescript-estree 4, via tsutils) takes `typescript` as a
//    peer and would load the project's TypeScript 7, which has no JS API: point it at the TypeScript 4.2
//    the tool ships in its own node_modules;
//  - its JS walker (estraverse-fb over estraverse 5) throws on node types newer than it, such as the
//    class private fields (`#x`) of the compiled out/: walked by iteration instead, so every child
//    node of such a field is still visited and checked;
//  - its i18n module fetches translations over the network at every run (1 s timeout): answered
//    offline, the bundled English strings are used.
const nestedTs = require.resolve('typescript');
const fromParser = (parent) => /[\\/]node_modules[\\/](@typescript-eslint[\\/]typescript-estree|tsutils)[\\/]/.test(parent?.filename ?? '');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'typescript' && fromParser(parent)) return nestedTs;
  return resolve.call(this, request, parent, ...rest);
};
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  const fromTool = parent?.filename?.startsWith(tool);
  if (request === 'got' && fromTool) return () => Promise.reject(new Error('offline'));
  const loaded = load.call(this, request, parent, ...rest);
  if (request === 'estraverse-fb' && fromTool) {
    return { ...loaded, traverse: (tree, visitor) => loaded.traverse(tree, { fallback: 'iteration', ...visitor }) };
  }
  return loaded;
};
process.env.LANG = 'en-US';

const run = require('./dist/runner.js').default ?? require('./dist/runner.js');
// Checks are named by their finding id (AUXCLICK_JS_CHECK); the runner excludes them by class name (auxclickjscheck)
const disabled = Object.keys(config.disabledChecks ?? {}).map((c) => c.replaceAll('_', '').toLowerCase());
// A finding reviewed for one exact sample (e.g. the CSP string): any change to it fails the run again
const accepted = (issue) => (config.acceptedFindings ?? []).some((a) => a.check === issue.id && a.sample === issue.sample);
const asJson = process.argv.includes('--json');

/** Copies one target's files into a scratch folder (`.cjs` renamed `.js`, which the tool reads). */
function stage(name, entries) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bbia-electronegativity-${name}-`));
  for (const entry of entries) {
    const from = path.join(root, entry);
    if (!fs.existsSync(from)) throw new Error(`${entry} does not exist${entry.startsWith('out/') ? ': run npm run build first' : ''}`);
    fs.cpSync(from, path.join(dir, entry), { recursive: true, filter: (src) => !src.endsWith('.map') });
  }
  for (const file of fs.readdirSync(dir, { recursive: true })) {
    if (String(file).endsWith('.cjs')) fs.renameSync(path.join(dir, file), path.join(dir, String(file).replace(/\.cjs$/, '.js')));
  }
  return dir;
}

// Its console output (progress, warnings) would drown ours: quiet while it runs
const quiet = async (fn) => {
  const saved = { log: console.log, warn: console.warn, info: console.info };
  console.log = console.warn = console.info = () => {};
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
};

let failed = false;
const summary = [];
for (const [name, entries] of Object.entries(config.targets)) {
  const dir = stage(name, entries);
  try {
    const result = await quiet(() =>
      run({ input: dir, customScan: [], excludeFromScan: disabled, electronVersionOverride: config.electronVersion, isRelative: true, parserPlugins: [] }, false),
    );
    const files = fs.readdirSync(dir, { recursive: true }).filter((f) => /\.(js|ts|html)$/.test(String(f))).length;
    const errors = result.errors.filter((e) => !e.tolerable);
    const findings = result.issues.filter((i) => !accepted(i));
    summary.push({ target: name, files, checks: result.atomicChecks + result.globalChecks, findings: findings.length, accepted: result.issues.length - findings.length, parseErrors: errors.length });
    for (const issue of findings) {
      failed = true;
      console.error(`${name}: ${issue.id} ${issue.file}:${issue.location.line}:${issue.location.column} [${issue.severity.name}/${issue.confidence.name}] ${issue.description}${issue.sample ? `\n    ${issue.sample}` : ''}`);
    }
    for (const error of errors) {
      failed = true;
      console.error(`${name}: could not parse ${path.relative(dir, error.file)}: ${error.message}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
if (asJson) console.log(JSON.stringify(summary));
else for (const s of summary) console.log(`electronegativity ${s.target}: ${s.files} files, ${s.checks} checks, ${s.findings} findings (${s.accepted} accepted as reviewed), ${s.parseErrors} parse errors`);
if (disabled.length > 0) console.log(`switched off (.electronegativity.json): ${disabled.join(', ')}`);
process.exitCode = failed ? 1 : 0;
