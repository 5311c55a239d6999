import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, sandbox } from './helpers.js';

describe('usage errors', () => {
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['stop', '--bogus'], /unknown option '--bogus'/],
    [['stop', '--timeout', 'soon'], /--timeout needs a positive number/],
    [['start', 'turbo'], /unknown mode 'turbo'/],
    [['kill-all', '--force=1'], /takes no value/],
    [['status', 'extra'], /unexpected argument 'extra'/],
    [['config', 'set', 'nope', '1'], /unknown setting 'nope'/],
    [['config', 'set', 'stopTimeout', 'abc'], /not a valid stopTimeout/],
  ];
  for (const [args, message] of cases) {
    it(`bbia-safe ${args.join(' ')} exits 2 with one clear message and what to do`, async () => {
      const { home } = sandbox();
      const r = await cli(home, args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/\n {2}-> /);
      expect(r.stderr).not.toMatch(/\s+at .+:\d+:\d+/);
    });
  }
  it('prints help with exit 0, and with exit 2 when no command is given', async () => {
    const { home } = sandbox();
    expect((await cli(home, ['--help'])).code).toBe(0);
    const none = await cli(home, []);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('bbia-safe status');
  });
});

describe('settings shared with the app', () => {
  it('writes the settings file owner-only and reads it back', async () => {
    const { home } = sandbox();
    expect((await cli(home, ['config', 'set', 'stopTimeout', '7'])).code).toBe(0);
    const file = (await cli(home, ['config', 'path'])).stdout.trim();
    expect(file).toBe(`${home}/.config/bbia-safe/settings.json`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).stopTimeout).toBe(7);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse((await cli(home, ['config', 'get', 'stopTimeout'])).stdout)).toBe(7);
  });
  it('reports a corrupt settings file, uses the defaults, and never overwrites it', async () => {
    const { home } = sandbox();
    const file = `${home}/.config/bbia-safe/settings.json`;
    fs.mkdirSync(`${home}/.config/bbia-safe`, { recursive: true });
    fs.writeFileSync(file, '{"stopTimeout": 7,');
    const r = await cli(home, ['status']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/settings file .* cannot be used .*Fix it or delete it/);
    const set = await cli(home, ['config', 'set', 'stopTimeout', '9']);
    expect(set.code).toBe(1);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"stopTimeout": 7,');
  });
  it('migrates the seed tool\'s `mode` key to `defaultMode`', async () => {
    const { home } = sandbox();
    fs.mkdirSync(`${home}/.config/bbia-safe`, { recursive: true });
    fs.writeFileSync(`${home}/.config/bbia-safe/settings.json`, '{"mode": "headless"}');
    expect(JSON.parse((await cli(home, ['config', 'get', 'defaultMode'])).stdout)).toBe('headless');
  });
});

describe('French', () => {
  it('speaks French when the locale is French', async () => {
    const { home } = sandbox();
    const r = await cli(home, ['status'], { env: { LANG: 'fr_FR.UTF-8' } });
    expect(r.stdout).toContain('Verrou : libre');
    const e = await cli(home, ['stop'], { env: { LANG: 'fr_FR.UTF-8' } });
    expect(e.stdout).toContain('Aucune instance BBIA en cours');
  });
});
