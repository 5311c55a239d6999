import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cliInstallTranslator } from '../../common/i18n/cli-install-strings.js';
import { installCli, type CliInstallPorts } from '../../main/app/cli-install.js';
import { tempDir } from '../helpers.js';

const t = cliInstallTranslator('en');

/** A user's machine in a temp folder: the app's launcher, a HOME with ~/.local/bin, a PATH. */
function machine(options: { localBinOnPath?: boolean } = {}) {
  const root = tempDir('bbia-cli-install-');
  const launcher = path.join(root, 'bbia-safe.app', 'Contents', 'Resources', 'cli', 'bin', 'bbia-safe');
  fs.mkdirSync(path.dirname(launcher), { recursive: true });
  fs.writeFileSync(launcher, '#!/bin/sh\n', { mode: 0o755 });
  const home = path.join(root, 'home');
  const localBin = path.join(home, '.local', 'bin');
  fs.mkdirSync(localBin, { recursive: true });
  // The tests may run as root, who can write anywhere: "no writable folder" is a PATH without one of the usual folders
  const pathDirs = options.localBinOnPath === false ? ['/usr/bin', '/bin'] : [localBin, '/usr/bin', '/bin'];
  return { launcher, home, localBin, pathDirs };
}

/** Ports that answer `choice` and record every question, message and admin request. */
function ports(choice: number, admin: CliInstallPorts['asAdmin'] = vi.fn(async () => {})) {
  const asked: string[] = [];
  const told: string[] = [];
  const p: CliInstallPorts = {
    ask: async (q) => (asked.push(`${q.message}\n${q.detail}\n[${q.buttons.join('|')}]`), choice),
    tell: async (m) => void told.push(m.message),
    asAdmin: admin,
  };
  return { p, asked, told, admin };
}

describe('Install Command Line Tool… (issue 11, point 5)', () => {
  it('asks, then links ~/.local/bin/bbia-safe to the launcher; a second run says it is there and asks nothing', async () => {
    const m = machine();
    const first = ports(1);
    expect(await installCli({ ...m, t }, first.p)).toBe('installed');
    const link = path.join(m.localBin, 'bbia-safe');
    expect(first.asked[0]).toContain(`Link ${link} to the command line inside bbia-safe.app?`);
    expect(first.asked[0]).toContain('[Cancel|Install]');
    expect(fs.readlinkSync(link)).toBe(m.launcher);
    expect(first.told).toEqual([`Installed: ${link}.`]);
    expect(first.admin).not.toHaveBeenCalled();
    const again = ports(1);
    expect(await installCli({ ...m, t }, again.p)).toBe('already');
    expect(again.asked).toEqual([]);
  });

  it('Cancel writes nothing; an existing command is named in the question and replaced only on yes', async () => {
    const m = machine();
    const link = path.join(m.localBin, 'bbia-safe');
    fs.writeFileSync(link, '#!/bin/sh\necho an older bbia-safe\n');
    const no = ports(0);
    expect(await installCli({ ...m, t }, no.p)).toBe('cancelled');
    expect(no.asked[0]).toContain(`${link} exists and will be replaced (a file, not a link).`);
    expect(fs.readFileSync(link, 'utf8')).toContain('an older bbia-safe');
    expect(await installCli({ ...m, t }, ports(1).p)).toBe('installed');
    expect(fs.readlinkSync(link)).toBe(m.launcher);
    expect(fs.readdirSync(m.localBin)).toEqual(['bbia-safe']);
  });

  it('no writable folder on the PATH: administrator rights only when the user chooses them', async () => {
    const m = machine({ localBinOnPath: false });
    const declined = ports(0);
    expect(await installCli({ ...m, t }, declined.p)).toBe('cancelled');
    expect(declined.asked[0]).toContain('writing to /usr/local/bin needs an administrator password');
    expect(declined.asked[0]).toContain('[Cancel|Install as administrator…]');
    expect(declined.admin).not.toHaveBeenCalled();
    const agreed = ports(1);
    expect(await installCli({ ...m, t }, agreed.p)).toBe('installed');
    expect(agreed.admin).toHaveBeenCalledWith('/usr/local/bin', m.launcher, '/usr/local/bin/bbia-safe');
    // The password prompt declined (osascript error -128): cancelled, no error shown
    const refused = ports(1, async () => Promise.reject(Object.assign(new Error('User canceled. (-128)'), { cancelled: true })));
    expect(await installCli({ ...m, t }, refused.p)).toBe('cancelled');
    expect(refused.told).toEqual([]);
  });

  it('an app still on its disk image or translocated is not linked: it asks to move it to Applications first', async () => {
    const m = machine();
    for (const launcher of ['/Volumes/bbia-safe 0.1.0/bbia-safe.app/Contents/Resources/cli/bin/bbia-safe', m.launcher.replace('/bbia-safe.app/', '/AppTranslocation/X/d/bbia-safe.app/')]) {
      const r = ports(1);
      expect(await installCli({ ...m, launcher, t }, r.p)).toBe('unavailable');
      expect(r.told).toEqual(['Move bbia-safe to the Applications folder first.']);
      expect(r.asked).toEqual([]);
    }
    expect(fs.readdirSync(m.localBin)).toEqual([]);
  });

  it('outside the packaged app there is nothing to link: it says so and writes nothing', async () => {
    const m = machine();
    const dev = ports(1);
    expect(await installCli({ ...m, launcher: undefined, t }, dev.p)).toBe('unavailable');
    expect(dev.told).toEqual(['Only the packaged app installs the bbia-safe command.']);
    expect(fs.readdirSync(m.localBin)).toEqual([]);
  });
});
