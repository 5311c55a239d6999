import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { afterPack, PACKED_CLI, packedCliProblems } from '../../scripts/after-pack.mjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CONFIG = fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
// electron-builder's own schema check and hook loader, as `electron-builder --mac` runs them (internal modules of app-builder-lib)
const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, log: unknown): Promise<void> };
const { resolveFunction } = require('app-builder-lib/out/util/resolve') as { resolveFunction(t: string, e: string, name: string, root: string): Promise<unknown> };
const { DebugLogger } = require('builder-util') as { DebugLogger: new (on: boolean) => unknown };
const yaml = require('js-yaml') as { load(text: string): unknown };

/** codesign's reports, in the format of macOS's codesign (modelled on outputs quoted in public issue threads, not recorded from this app). */
const LINKER_SIGNED = `Executable=/dist/mac-arm64/bbia-safe.app/Contents/MacOS/bbia-safe
Identifier=Electron
Format=app bundle with Mach-O thin (arm64)
CodeDirectory v=20400 size=392 flags=0x20002(adhoc,linker-signed) hashes=9+0 location=embedded
Signature=adhoc
TeamIdentifier=not set
Info.plist=not bound
Sealed Resources=none
Internal requirements=none`;
const AD_HOC = `Executable=/dist/mac-arm64/bbia-safe.app/Contents/MacOS/bbia-safe
Identifier=org.bbia.safe
Format=app bundle with Mach-O thin (arm64)
CodeDirectory v=20400 size=1041 flags=0x2(adhoc) hashes=21+7 location=embedded
Signature=adhoc
Info.plist entries=27
TeamIdentifier=not set
Sealed Resources version=2 rules=13 files=131
Internal requirements count=0 size=12`;

/** Runs check-signature.mjs on a fake app with a fake `codesign` first on the PATH printing `display` (verify exits `verifyStatus`). */
function checkSignature(display: string, verifyStatus: number) {
  const dir = tempDir('bbia-codesign-');
  const app = path.join(dir, 'bbia-safe.app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(dir, 'display.txt'), `${display}\n`);
  fs.writeFileSync(
    path.join(dir, 'codesign'),
    `#!/bin/sh\ncase "$1" in\n  --verify) [ ${verifyStatus} = 0 ] || echo "$5: code has no resources but signature indicates they must be present" >&2; exit ${verifyStatus} ;;\n  --display) cat "${dir}/display.txt" >&2 ;;\nesac\n`,
    { mode: 0o755 },
  );
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'check-signature.mjs'), app], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
}

describe('packaging the command line (issue 11, point 5)', () => {
  it('electron-builder.yml packs it into Contents/Resources/cli and runs the afterPack check', () => {
    for (const line of ['to: cli/package.json', 'to: cli/bin/bbia-safe.js', 'from: scripts/bbia-safe-launcher.sh', 'to: cli/out/cli', 'afterPack: ./scripts/after-pack.mjs']) expect(CONFIG).toContain(line);
  });

  it('electron-builder accepts the configuration and loads scripts/after-pack.mjs as its afterPack hook', async () => {
    await expect(validateConfiguration(yaml.load(CONFIG), new DebugLogger(false))).resolves.toBeUndefined();
    // Loaded natively (not through Vitest), it is the hook that checks the packed command line
    const loaded = (await resolveFunction('module', './scripts/after-pack.mjs', 'afterPack', ROOT)) as typeof afterPack;
    const context = { electronPlatformName: 'darwin', appOutDir: tempDir('bbia-afterpack-'), packager: { appInfo: { productFilename: 'bbia-safe' } } };
    await expect(loaded(context)).rejects.toThrow(/the command line is not packed into/);
  });

  it('afterPack fails the build when the packed command line is incomplete, and passes a complete one', async () => {
    const out = tempDir('bbia-afterpack-');
    const context = { electronPlatformName: 'darwin', appOutDir: out, packager: { appInfo: { productFilename: 'bbia-safe' } } };
    const cli = path.join(out, 'bbia-safe.app', 'Contents', 'Resources', 'cli');
    await expect(afterPack(context)).rejects.toThrow(/is not packed into .*bin\/bbia-safe is missing.*\n {2}-> run `npm run build` first/s);
    for (const file of PACKED_CLI as string[]) {
      fs.mkdirSync(path.dirname(path.join(cli, file)), { recursive: true });
      fs.writeFileSync(path.join(cli, file), '', { mode: 0o644 });
    }
    await expect(afterPack(context)).rejects.toThrow(/bin\/bbia-safe is not executable/);
    fs.chmodSync(path.join(cli, 'bin', 'bbia-safe'), 0o755);
    await expect(afterPack(context)).resolves.toBeUndefined();
  });

  it('every file it checks is where the build really puts it (npm run build: out/cli)', () => {
    // bin/bbia-safe is the launcher that electron-builder's extraResources lays out, not a build output
    const missing = packedCliProblems(ROOT).filter((p) => !p.endsWith(`${path.join('bin', 'bbia-safe')} is missing`));
    expect(missing).toEqual([]);
  });
});

describe('the signature of the built app (issue 11, point 4)', () => {
  it('refuses a bundle left with Electron’s linker signature: notifications would never show', () => {
    const r = checkSignature(LINKER_SIGNED, 1);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('codesign --verify --deep --strict failed');
    expect(r.stderr).toContain('its identifier is Electron, not org.bbia.safe; its Info.plist is not bound to the signature; its resources are not sealed');
  });

  it('accepts the whole bundle signed ad hoc as org.bbia.safe, and says it is an ad-hoc build', () => {
    const r = checkSignature(AD_HOC, 0);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/bbia-safe\.app: ad hoc \(no Developer ID\), identifier org\.bbia\.safe, Info\.plist bound, resources sealed\n$/);
  });
});
