import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const READLINK = ['/usr/bin/readlink', '/bin/readlink'].find((f) => fs.existsSync(f))!;

/**
 * The packed command line as electron-builder.yml lays it out in the app (Contents/Resources/cli), from the
 * real launcher template and the real build, linked from a folder of a fake PATH by a relative link,
 * as "Install Command Line Tool…" does (an absolute one there).
 */
function packedApp() {
  const root = tempDir('bbia-launcher-');
  const cli = path.join(root, 'bbia-safe.app', 'Contents', 'Resources', 'cli');
  fs.mkdirSync(path.join(cli, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(cli, 'package.json'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'bbia-safe.js'), path.join(cli, 'bin', 'bbia-safe.js'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'bbia-safe-launcher.sh'), path.join(cli, 'bin', 'bbia-safe'));
  fs.cpSync(path.join(ROOT, 'out', 'cli'), path.join(cli, 'out', 'cli'), { recursive: true });
  const dir = (name: string) => (fs.mkdirSync(path.join(root, name), { recursive: true }), path.join(root, name));
  const onPath = dir('usr-local-bin');
  fs.symlinkSync(path.relative(onPath, path.join(cli, 'bin', 'bbia-safe')), path.join(onPath, 'bbia-safe'));
  // Only readlink from the system: no system Node on this PATH
  const tools = dir('tools');
  fs.symlinkSync(READLINK, path.join(tools, 'readlink'));
  const goodNode = dir('node24');
  fs.symlinkSync(process.execPath, path.join(goodNode, 'node'));
  const oldNode = dir('node20');
  fs.writeFileSync(path.join(oldNode, 'node'), '#!/bin/sh\necho 20.11.1\n', { mode: 0o755 });
  const home = dir('home');
  const run = (args: string[], dirs: string[], env: Record<string, string> = {}) =>
    execa(path.join(onPath, 'bbia-safe'), args, { env: { PATH: [onPath, ...dirs].join(':'), HOME: home, LANG: 'en_US.UTF-8', ...env }, extendEnv: false, reject: false });
  return { run, tools, goodNode, oldNode, home };
}

describe('the command-line launcher packed in the app (issue 11, point 5)', () => {
  let app: ReturnType<typeof packedApp>;
  beforeAll(() => {
    expect(fs.existsSync(path.join(ROOT, 'out', 'cli', 'main.mjs')), 'run npm run build first').toBe(true);
    // The launcher's last resorts: a Node there would be found where these tests expect none
    for (const f of ['/opt/homebrew/bin/node', '/usr/local/bin/node']) expect(fs.existsSync(f), `${f} exists on this machine`).toBe(false);
    app = packedApp();
  });

  it('is executable in the repository (the mode electron-builder copies into the app)', () => {
    expect(fs.statSync(path.join(ROOT, 'scripts', 'bbia-safe-launcher.sh')).mode & 0o111).toBe(0o111);
  });

  it('runs the bundled command line with the Node 22+ on the PATH, through the link', async () => {
    const version = await app.run(['--version'], [app.goodNode, app.tools]);
    expect(version.stderr).toBe('');
    expect([version.exitCode, version.stdout]).toEqual([0, VERSION]);
    const status = await app.run(['status', '--json'], [app.goodNode, '/usr/bin', '/bin']);
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ instance: null });
  });

  it('with only an old Node: says which, what to install, and exits 1', async () => {
    const r = await app.run(['status'], [app.oldNode, app.tools]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'Error: bbia-safe needs Node.js 22 or later, and found none.\n' +
        `  found only: ${app.oldNode}/node (v20), too old\n` +
        '  -> install Node.js 24 (https://nodejs.org, or: brew install node),\n' +
        '     or give its path in BBIA_SAFE_NODE (export BBIA_SAFE_NODE=/path/to/node)',
    );
  });

  it('with no Node at all, in French', async () => {
    const r = await app.run(['status'], [app.tools], { LANG: 'fr_FR.UTF-8' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^Erreur : bbia-safe a besoin de Node\.js 22 ou plus récent, et n’en a trouvé aucun\.\n {2}-> installez Node\.js 24/);
  });

  it('finds the newest nvm Node when the PATH has an old one, and BBIA_SAFE_NODE first of all', async () => {
    const nvm = path.join(app.home, '.nvm', 'versions', 'node');
    fs.mkdirSync(path.join(nvm, 'v18.20.0', 'bin'), { recursive: true });
    fs.writeFileSync(path.join(nvm, 'v18.20.0', 'bin', 'node'), '#!/bin/sh\necho 18.20.0\n', { mode: 0o755 });
    fs.mkdirSync(path.join(nvm, 'v24.1.0', 'bin'), { recursive: true });
    fs.symlinkSync(process.execPath, path.join(nvm, 'v24.1.0', 'bin', 'node'));
    const r = await app.run(['--version'], [app.oldNode, app.tools]);
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, VERSION, '']);
    fs.rmSync(nvm, { recursive: true });
    const chosen = await app.run(['--version'], [app.oldNode, app.tools], { BBIA_SAFE_NODE: process.execPath });
    expect([chosen.exitCode, chosen.stdout]).toEqual([0, VERSION]);
  });
});
