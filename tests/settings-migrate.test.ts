import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPaths } from '../main/engine/paths.js';
import { loadSettings } from '../main/engine/settings/load.js';
import { migrate, SETTINGS_VERSION, settingsFrom, VERSION_KEY } from '../main/engine/settings/migrate.js';
import { DEFAULT_SETTINGS, OLD_RUNAWAY_DEFAULTS } from '../main/engine/settings/schema.js';
import { openSettingsStore } from '../main/engine/settings/store.js';
import { cli, sandbox } from './helpers.js';

/** conf's own bookkeeping as bbia-safe 0.1.x left it in the file: a fixture here, opaque to our code. */
const CONF_BOOKKEEPING = { migrations: { version: '0.1.3' } };

/** A settings file an older bbia-safe wrote: conf's bookkeeping, no `settingsVersion`, the old runaway defaults. */
const OLD_FILE = { __internal__: CONF_BOOKKEEPING, python: 'python3.12', stopTimeout: 5, runaway: { ...OLD_RUNAWAY_DEFAULTS } };

/** A sandbox whose settings file holds `content` (JSON of it, or the text as it is). */
function withSettings(content: unknown) {
  const { home } = sandbox();
  const paths = createPaths({ home });
  fs.mkdirSync(paths.settingsDir, { recursive: true });
  fs.writeFileSync(paths.settingsFile, typeof content === 'string' ? content : JSON.stringify(content, null, '\t'));
  const file = () => fs.readFileSync(paths.settingsFile, 'utf8');
  return { home, paths, file, json: () => JSON.parse(file()) as Record<string, unknown> };
}

describe('migrate (pure)', () => {
  it('a document from before settingsVersion has every migration applied and records the version', () => {
    const doc = { mode: 'headless', runaway: { ...OLD_RUNAWAY_DEFAULTS } };
    expect(migrate(doc)).toEqual({ defaultMode: 'headless', runaway: DEFAULT_SETTINGS.runaway, [VERSION_KEY]: SETTINGS_VERSION });
    expect(doc).toEqual({ mode: 'headless', runaway: OLD_RUNAWAY_DEFAULTS });
  });

  it('a document at this version, or written by a newer bbia-safe, is returned as it is', () => {
    for (const version of [SETTINGS_VERSION, SETTINGS_VERSION + 1]) {
      const doc = { runaway: { ...OLD_RUNAWAY_DEFAULTS }, [VERSION_KEY]: version };
      expect(migrate(doc)).toBe(doc);
    }
  });

  it('a migration leaves its own output alone, so a file conf already migrated is safe to migrate again', () => {
    const docs = [{ runaway: { ...OLD_RUNAWAY_DEFAULTS } }, { runaway: { cpuPercent: 70, sustainSeconds: 30, memoryMB: 1024 } }, { mode: 'headless' }, { ...DEFAULT_SETTINGS }];
    for (const doc of docs) {
      const { [VERSION_KEY]: _version, ...once } = migrate(doc);
      expect(migrate(once)).toEqual(migrate(doc));
    }
  });

  it('the settings of a document are its own keys over the defaults: not settingsVersion, not conf\'s, not strays', () => {
    const settings = settingsFrom({ ...OLD_FILE, [VERSION_KEY]: 2, stray: 1 });
    expect(Object.keys(settings).toSorted()).toEqual(Object.keys(DEFAULT_SETTINGS).toSorted());
    expect(settings).toMatchObject({ python: 'python3.12', runaway: OLD_RUNAWAY_DEFAULTS });
  });
});

describe('a settings file written by an older bbia-safe (real files)', () => {
  it('read by status and config get (the read-only loader): the new thresholds, and the file is not written', async () => {
    const { home, paths, file } = withSettings(OLD_FILE);
    const before = file();
    expect(loadSettings(paths)).toEqual({ settings: { ...DEFAULT_SETTINGS, python: 'python3.12' } });
    const status = await cli(home, ['status']);
    expect(status.code).toBe(0);
    expect(status.stderr).not.toMatch(/settings file/);
    expect(JSON.parse((await cli(home, ['config', 'get', 'runaway'])).stdout)).toEqual(DEFAULT_SETTINGS.runaway);
    expect(file()).toBe(before);
  });

  it('opened by the CLI store: migrated once and written back, conf\'s bookkeeping left as it was', async () => {
    const { home, paths, json } = withSettings(OLD_FILE);
    expect((await cli(home, ['config', 'set', 'stopTimeout', '7'])).code).toBe(0);
    expect(json()).toEqual({ ...DEFAULT_SETTINGS, __internal__: CONF_BOOKKEEPING, python: 'python3.12', stopTimeout: 7, [VERSION_KEY]: SETTINGS_VERSION });
    expect(openSettingsStore(paths).get('runaway')).toEqual(DEFAULT_SETTINGS.runaway);
  });

  it('a user who then sets the old thresholds keeps them: the migration does not run twice', async () => {
    const { home, paths, json } = withSettings(OLD_FILE);
    expect((await cli(home, ['config', 'set', 'stopTimeout', '7'])).code).toBe(0);
    expect((await cli(home, ['config', 'set', 'runaway', JSON.stringify(OLD_RUNAWAY_DEFAULTS)])).code).toBe(0);
    // Read by the loader, opened again by a store (the CLI's, then in this process), written again
    expect(JSON.parse((await cli(home, ['config', 'get', 'runaway'])).stdout)).toEqual(OLD_RUNAWAY_DEFAULTS);
    expect((await cli(home, ['config', 'set', 'stopTimeout', '8'])).code).toBe(0);
    expect(openSettingsStore(paths).get('runaway')).toEqual(OLD_RUNAWAY_DEFAULTS);
    expect(loadSettings(paths).settings.runaway).toEqual(OLD_RUNAWAY_DEFAULTS);
    expect(json()).toMatchObject({ runaway: OLD_RUNAWAY_DEFAULTS, stopTimeout: 8, [VERSION_KEY]: SETTINGS_VERSION, __internal__: CONF_BOOKKEEPING });
  });

  it('an unusable file is reported by status, refused by the store, and left untouched (not migrated)', async () => {
    for (const content of [{ ...OLD_FILE, stopTimeout: -3 }, { ...OLD_FILE, [VERSION_KEY]: 'two' }, '{"runaway": {"cpuPercent": 90,']) {
      const { home, paths, file } = withSettings(content);
      const before = file();
      const status = await cli(home, ['status']);
      expect(status.code).toBe(0);
      expect(status.stderr).toMatch(/settings file .* cannot be used .*Fix it or delete it/);
      expect(loadSettings(paths).settings).toEqual(DEFAULT_SETTINGS);
      expect((await cli(home, ['config', 'set', 'python', 'py'])).code).toBe(1);
      expect(() => openSettingsStore(paths)).toThrow();
      expect(file()).toBe(before);
      expect(fs.readdirSync(path.dirname(paths.settingsFile))).toEqual(['settings.json']);
    }
  });
});
