import Store from 'electron-store';
import { SETTINGS_NAME, type Paths } from '../engine/paths.js';
import { settingsFrom, type SettingsDocument } from '../engine/settings/migrate.js';
import { migrateStore, sharedStoreOptions } from '../engine/settings/options.js';
import { DEFAULT_SETTINGS, type Settings } from '../engine/settings/schema.js';
import type { SettingsPort } from '../ipc/ports.js';

/** The app's settings: the shared file through electron-store, and why it is unusable when it is. */
export interface AppSettings {
  /** The port the handlers use. */
  port: SettingsPort;
  /** Set when the file could not be used: the defaults are in force and nothing is written. */
  problem?: string;
}

/**
 * Opens the settings file the CLI opens with conf: same folder, name, schema, defaults and migrations
 * (applied at open, as the CLI's store does), so each front sees what the other saved. An invalid file is left untouched.
 * (The project folder chosen with the picker is validated by the handlers with the engine's isProjectDir.)
 */
export function openAppSettings(paths: Paths): AppSettings {
  try {
    const store = new Store<Settings>({ ...sharedStoreOptions(paths), name: SETTINGS_NAME });
    migrateStore(store);
    const read = (): Settings => settingsFrom(store.store as unknown as SettingsDocument);
    return { port: { read, write: (patch) => (store.set(patch), read()) } };
  } catch (error) {
    const problem = `the settings file ${paths.settingsFile} cannot be used (${(error as Error).message.split('\n')[0]}); using the defaults. Fix it or delete it.`;
    const read = (): Settings => structuredClone(DEFAULT_SETTINGS);
    return {
      problem,
      port: {
        read,
        write: () => {
          throw new Error(problem, { cause: error });
        },
      },
    };
  }
}
