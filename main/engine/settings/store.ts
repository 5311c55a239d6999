import Conf from 'conf';
import { packageVersion } from '../package-info.js';
import type { Paths } from '../paths.js';
import { SETTINGS_NAME } from '../paths.js';
import { DEFAULT_SETTINGS, SETTINGS_MIGRATIONS, SETTINGS_SCHEMA, type Settings } from './schema.js';

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
