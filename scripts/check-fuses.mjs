#!/usr/bin/env node
// Reads the Electron fuses of a built app back with @electron/fuses (electron-builder's own dependency)
// and fails unless each one is as electron-builder.yml's `electronFuses` says, and unless that list
// itself keeps the fuses that matter for a tray app off (run as node, NODE_OPTIONS, --inspect) or on
// (asar integrity, only load app.asar).
//
// Usage: node scripts/check-fuses.mjs [APP_ZIP_OR_BINARY...]  (default: every dist/*.zip, what ships, and dist/*/*.app)
//        node scripts/check-fuses.mjs --config-only           (the policy of electron-builder.yml alone)
//   --reenable-inspect-for-e2e: once every check passed, turns EnableNodeCliInspectArguments back on in
//   the dist/*/*.app work folders only (never in the zip or dmg that ship), because Playwright's
//   _electron.launch drives the app through --inspect and times out without it (a documented
//   Playwright limitation, see mullvad/mullvadvpn-app#8259).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(root, 'package.json'));
const { getCurrentFuseWire, flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');
const yaml = require('js-yaml');

/** electron-builder.yml key -> @electron/fuses option. */
const OPTION = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};
/** What the config may not weaken (issue 5). */
const REQUIRED = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
};
/** Fuse byte values in the binary (@electron/fuses' FuseState). */
const STATE = { 48: 'off', 49: 'on', 114: 'removed' };

const problems = [];
const configFile = process.env.BBIA_FUSES_CONFIG ?? path.join(root, 'electron-builder.yml');
const fuses = yaml.load(fs.readFileSync(configFile, 'utf8'))?.electronFuses ?? {};
for (const [key, value] of Object.entries(REQUIRED)) {
  if (fuses[key] !== value) problems.push(`${path.basename(configFile)}: electronFuses.${key} must be ${value} (is ${fuses[key]})`);
}
for (const key of Object.keys(OPTION)) {
  if (typeof fuses[key] !== 'boolean') problems.push(`${path.basename(configFile)}: electronFuses.${key} is not set (every fuse is set explicitly)`);
}

const args = process.argv.slice(2);
let apps = [];
if (!args.includes('--config-only')) {
  apps = args.filter((a) => !a.startsWith('--'));
  if (apps.length === 0) {
    const dist = path.join(root, 'dist');
    for (const dir of fs.existsSync(dist) ? fs.readdirSync(dist) : []) {
      const sub = path.join(dist, dir);
      if (dir.endsWith('.zip')) apps.push(sub);
      if (!fs.statSync(sub).isDirectory()) continue;
      for (const name of fs.readdirSync(sub)) if (name.endsWith('.app')) apps.push(path.join(sub, name));
    }
    if (apps.length === 0) problems.push('no built app under dist/*/ (run electron-builder first, or name the app)');
  }
}
/** The .app inside a shipped zip, extracted to a temp folder (ditto on macOS keeps the frameworks' links). */
function unpack(zip) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-fuses-'));
  if (process.platform === 'darwin') execFileSync('ditto', ['-x', '-k', zip, dir]);
  else execFileSync('unzip', ['-q', zip, '-d', dir]);
  const app = fs.readdirSync(dir).find((n) => n.endsWith('.app'));
  if (!app) throw new Error('no .app inside');
  return path.join(dir, app);
}

for (const app of apps) {
  let wire;
  try {
    wire = await getCurrentFuseWire(app.endsWith('.zip') ? unpack(app) : app);
  } catch (error) {
    problems.push(`${app}: ${error.message}`);
    continue;
  }
  for (const [key, option] of Object.entries(OPTION)) {
    if (typeof fuses[key] !== 'boolean') continue;
    const found = STATE[wire[option]] ?? (wire[option] === undefined ? 'absent' : `byte ${wire[option]}`);
    const want = fuses[key] ? 'on' : 'off';
    // A fuse this Electron removed cannot be turned on: fine for one that must be off
    const ok = found === want || (found === 'removed' && want === 'off');
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${path.relative(root, app)} ${key}: ${found}${ok ? '' : ` (want ${want})`}`);
    if (!ok) problems.push(`${app}: ${key} is ${found}, want ${want}`);
  }
}
for (const p of problems) console.error(`check-fuses: ${p}`);
if (problems.length === 0) console.log(`check-fuses: ${apps.length === 0 ? 'electron-builder.yml policy' : `${apps.length} app(s)`} ok`);
process.exitCode = problems.length === 0 ? 0 : 1;

if (problems.length === 0 && args.includes('--reenable-inspect-for-e2e')) {
  for (const app of apps.filter((a) => a.endsWith('.app'))) {
    await flipFuses(app, { version: FuseVersion.V1, resetAdHocDarwinSignature: process.platform === 'darwin', [FuseV1Options.EnableNodeCliInspectArguments]: true });
    console.log(`check-fuses: ${path.relative(root, app)}: EnableNodeCliInspectArguments turned back on for Playwright (work folder only; the zip and dmg keep it off)`);
  }
}
