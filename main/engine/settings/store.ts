import Conf from 'conf';
import { SETTINGS_NAME, type Paths } from '../paths.js';
import { migrateStore, sharedStoreOptions } from './options.js';
import type { Settings } from './schema.js';

/** The conf store on the shared settings file, migrated (the app opens the same file with electron-store). */
export function openSettingsStore(paths: Paths): Conf<Settings> {
  const store = new Conf<Settings>({ ...sharedStoreOptions(paths), configName: SETTINGS_NAME, projectName: 'bbia-safe' });
  migrateStore(store);
  return store;
}
