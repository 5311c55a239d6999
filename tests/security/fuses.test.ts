/**
 * scripts/check-fuses.mjs on this machine (no Electron binary here: the macOS job runs it on the real
 * build): the policy of electron-builder.yml, and the read-back on a stand-in binary carrying Electron's
 * fuse wire, flipped with @electron/fuses exactly as electron-builder does.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'check-fuses.mjs');
const require = createRequire(path.join(ROOT, 'package.json'));
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses') as typeof import('@electron/fuses');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

/** A file laid out like an Electron binary's fuse wire: sentinel, version 1, 8 fuses as Electron ships them. */
function standIn(dir: string): string {
  const file = path.join(dir, 'Electron');
  fs.writeFileSync(file, Buffer.concat([Buffer.alloc(64, 7), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10110101'), Buffer.alloc(64, 7)]));
  return file;
}

describe('scripts/check-fuses.mjs', () => {
  it('keeps electron-builder.yml to the fuses that matter for a tray app', () => {
    const r = run('--config-only');
    expect(r.out).toContain('policy ok');
    expect(r.code).toBe(0);
  });

  it('passes a binary flipped as electron-builder.yml says, and fails one fuse off', async () => {
    const dir = tempDir('bbia-fuses-');
    const binary = standIn(dir);
    expect(run(binary).code, 'stock fuses must fail').toBe(1);
    await flipFuses(binary, {
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: true,
    });
    const ok = run(binary);
    expect(ok.out).toContain('1 app(s) ok');
    expect(ok.code).toBe(0);
    await flipFuses(binary, { version: FuseVersion.V1, [FuseV1Options.RunAsNode]: true });
    const bad = run(binary);
    expect(bad.out).toMatch(/FAIL .* runAsNode: on \(want off\)/);
    expect(bad.code).toBe(1);
  });
});
