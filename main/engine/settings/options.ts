import { packageVersion } from '../package-info.js';
import type { Paths } from '../paths.js';
import { DEFAULT_SETTINGS, SETTINGS_MIGRATIONS, SETTINGS_SCHEMA } from './schema.js';

/**
 * What conf (the CLI) and electron-store (the app) are both given, so they open one file with one
 * schema, the same defaults and migrations, and the same projectVersion the migrations are keyed by.
 * An invalid file is never cleared: it is reported and left for the user to fix.
 */
export function sharedStoreOptions(paths: Paths) {
  return {
    cwd: paths.settingsDir,
    projectVersion: packageVersion(),
    defaults: DEFAULT_SETTINGS,
    schema: SETTINGS_SCHEMA as never,
    migrations: SETTINGS_MIGRATIONS as never,
    clearInvalidConfig: false,
    configFileMode: 0o600,
  };
}
