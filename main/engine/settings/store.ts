import fs from 'node:fs';
import Conf from 'conf';
import { packageVersion } from '../package-info.js';
import type { Paths } from '../paths.js';
import { SETTINGS_NAME } from '../paths.js';
import { DEFAULT_SETTINGS, SETTINGS_MIGRATIONS, SETTINGS_SCHEMA, type Settings } from './schema.js';


/** Settings as loaded: the values in force and, when the file could not be used, why. */
export interface LoadedSettings {
  /** The values in force (the file's, or the defaults when it is unusable). */
  settings: Settings;
  /** Set when the file is unusable; the file is then left untouched. */
  problem?: string;
}

/** The conf store on the shared settings file (the app opens the same file with electron-store). */
export function openSettingsStore(paths: Paths): Conf<Settings> {
  return new Conf<Settings>({
    cwd: paths.settingsDir,
    configName: SETTINGS_NAME,
    projectName: 'bbia-safe',
    projectVersion: packageVersion(),
    defaults: DEFAULT_SETTINGS,
    schema: SETTINGS_SCHEMA as never,
    migrations: SETTINGS_MIGRATIONS as never,
    clearInvalidConfig: false,
    configFileMode: 0o600,
  });
}

/** Loads the settings; a corrupt or invalid file is reported and left as it is, and the defaults are used. */
export function loadSettings(paths: Paths): LoadedSettings {
  if (!fs.existsSync(paths.settingsFile)) return { settings: structuredClone(DEFAULT_SETTINGS) };
  try {
    return { settings: { ...structuredClone(DEFAULT_SETTINGS), ...openSettingsStore(paths).store } };
  } catch (error) {
    return {
      settings: structuredClone(DEFAULT_SETTINGS),
      problem: `the settings file ${paths.settingsFile} cannot be used (${(error as Error).message.split('\n')[0]}); using the defaults. Fix it or delete it.`,
    };
  }
}
