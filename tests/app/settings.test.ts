import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createPaths } from '../../main/engine/paths.js';
import { SETTINGS_VERSION, VERSION_KEY } from '../../main/engine/settings/migrate.js';
import { DEFAULT_SETTINGS, OLD_RUNAWAY_DEFAULTS } from '../../main/engine/settings/schema.js';
import { openSettingsStore } from '../../main/engine/settings/store.js';
import { openAppSettings } from '../../main/app/settings.js';
import { sandbox } from '../helpers.js';

// electron-store 12 loads the electron package, whose binary is not on this machine (electron-mock.ts), and vi.mock
// does not reach into node_modules. With an absolute `cwd` its constructor is conf's, `name` read as `configName`
// (node_modules/electron-store/index.js): this stand-in does just that, so the conf underneath is the real one.
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  return {
    default: class ElectronStore extends Conf<Record<string, unknown>> {
      constructor({ name, ...options }: { name: string; cwd: string }) {
        super({ ...options, configName: name });
      }
    },
  };
});

/** conf's own bookkeeping as bbia-safe 0.1.x left it: a fixture, opaque to our code. */
const CONF_BOOKKEEPING = { migrations: { version: '0.1.3' } };

/** A sandbox whose settings file holds `doc`. */
function withSettings(doc: unknown) {
  const paths = createPaths({ home: sandbox().home });
  fs.mkdirSync(paths.settingsDir, { recursive: true });
  fs.writeFileSync(paths.settingsFile, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return { paths, file: () => fs.readFileSync(paths.settingsFile, 'utf8') };
}

describe('the app opens the shared settings file with electron-store', () => {
  it('an older file is migrated at open, once: a user who then sets the old thresholds keeps them', () => {
    const { paths, file } = withSettings({ __internal__: CONF_BOOKKEEPING, runaway: { ...OLD_RUNAWAY_DEFAULTS }, python: 'py' });
    const app = openAppSettings(paths);
    expect(app.problem).toBeUndefined();
    expect(app.port.read()).toEqual({ ...DEFAULT_SETTINGS, python: 'py' });
    expect(JSON.parse(file())).toMatchObject({ __internal__: CONF_BOOKKEEPING, runaway: DEFAULT_SETTINGS.runaway, [VERSION_KEY]: SETTINGS_VERSION });

    app.port.write({ runaway: { ...OLD_RUNAWAY_DEFAULTS } });
    const written = file();
    // Opened again by the app and by the CLI's store: nothing to migrate, nothing written
    expect(openAppSettings(paths).port.read().runaway).toEqual(OLD_RUNAWAY_DEFAULTS);
    expect(openSettingsStore(paths).get('runaway')).toEqual(OLD_RUNAWAY_DEFAULTS);
    expect(file()).toBe(written);
  });

  it('an unusable file gives the defaults and a problem, refuses writes, and is left untouched', () => {
    const { paths, file } = withSettings({ __internal__: CONF_BOOKKEEPING, runaway: { ...OLD_RUNAWAY_DEFAULTS }, pollInterval: 1 });
    const before = file();
    const app = openAppSettings(paths);
    expect(app.problem).toMatch(/cannot be used .*Fix it or delete it/);
    expect(app.port.read()).toEqual(DEFAULT_SETTINGS);
    expect(() => app.port.write({ python: 'py' })).toThrow();
    expect(file()).toBe(before);
  });
});
