import Conf from 'conf';
import { SETTINGS_NAME, type Paths } from '../paths.js';
import { sharedStoreOptions } from './options.js';
import type { Settings } from './schema.js';

/** The conf store on the shared settings file (the app opens the same file with electron-store). */
export function openSettingsStore(paths: Paths): Conf<Settings> {
  return new Conf<Settings>({ ...sharedStoreOptions(paths), configName: SETTINGS_NAME, projectName: 'bbia-safe' });
}
