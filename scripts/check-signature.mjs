#!/usr/bin/env node
// Checks the code signature of the built macOS app (the macOS CI job, after electron-builder): the
// whole bundle must be validly signed (`codesign --verify --deep --strict`), as the app's own identifier
// (electron-builder.yml appId), with its Info.plist bound. macOS's notification centre registers an app
// by that signature: a bundle left with the Electron binary's own linker signature (identifier
// "Electron", Info.plist not bound, no sealed resources) never shows a notification.
// Then says which kind of build it is: Developer ID (opens normally once notarized) or ad hoc
// (Gatekeeper asks once: System Settings ▸ Privacy & Security ▸ Open Anyway).
//
// Usage: node scripts/check-signature.mjs [APP...]   (default: every dist/*/bbia-safe.app)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** The app id of electron-builder.yml. */
export function appIdOf(configText) {
  const id = /^appId:\s*(\S+)\s*$/m.exec(configText)?.[1];
  if (!id) throw new Error('electron-builder.yml has no appId');
  return id;
}

/** What `codesign --display --verbose=4` says of an app, as key=value pairs (Authority repeats). */
export function parseDisplay(text) {
  const fields = { Authority: [] };
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at < 0) continue;
    const key = line.slice(0, at);
    const value = line.slice(at + 1).trim();
    if (key === 'Authority') fields.Authority.push(value);
    else fields[key] ??= value;
  }
  return fields;
}

/** The problems of an app's signature (none when it is good) and the kind of build. */
export function judge(display, verify, appId) {
  const f = parseDisplay(display);
  const problems = [];
  if (verify.status !== 0) problems.push(`codesign --verify --deep --strict failed: ${verify.stderr.trim().split('\n').at(-1)}`);
  if (f.Identifier !== appId) problems.push(`its identifier is ${f.Identifier ?? 'missing'}, not ${appId}`);
  // A bound Info.plist reads `Info.plist entries=27` (unbound: `Info.plist=not bound`); sealed resources `Sealed Resources version=2 ...`
  if (!f['Info.plist entries']) problems.push('its Info.plist is not bound to the signature');
  if (!f['Sealed Resources version']) problems.push('its resources are not sealed (only the binary is signed)');
  const developerId = f.Authority.find((a) => a.startsWith('Developer ID Application:'));
  return { problems, kind: developerId ? `signed by ${developerId}` : f.Signature === 'adhoc' ? 'ad hoc (no Developer ID)' : 'unknown' };
}

function main(args) {
  const appId = appIdOf(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
  const dist = path.join(root, 'dist');
  const apps = args.length > 0 ? args : fs.existsSync(dist) ? fs.readdirSync(dist).map((d) => path.join(dist, d, 'bbia-safe.app')).filter((a) => fs.existsSync(a)) : [];
  if (apps.length === 0) {
    console.error('check-signature: no app to check.\n  -> build it first: npx electron-builder --mac --config electron-builder.yml');
    return 2;
  }
  let failed = false;
  for (const app of apps) {
    const verify = spawnSync('codesign', ['--verify', '--deep', '--strict', '--verbose=2', app], { encoding: 'utf8' });
    // codesign --display writes its report on stderr
    const shown = spawnSync('codesign', ['--display', '--verbose=4', app], { encoding: 'utf8' });
    if (verify.error || shown.error) {
      console.error(`check-signature: codesign cannot run here (${(verify.error ?? shown.error).message}); it exists on macOS only.`);
      return 2;
    }
    const { problems, kind } = judge(`${shown.stdout}\n${shown.stderr}`, verify, appId);
    if (problems.length > 0) {
      failed = true;
      console.error(`${app}: ${problems.join('; ')}.\n  -> macOS would not show its notifications: sign the whole bundle (see README, "Run and build it on a Mac").`);
    } else console.log(`${app}: ${kind}, identifier ${appId}, Info.plist bound, resources sealed`);
  }
  return failed ? 1 : 0;
}

if (import.meta.main ?? process.argv[1] === import.meta.filename) process.exitCode = main(process.argv.slice(2));
