import type { Paths } from '../paths.js';
import { migrate, SETTINGS_FILE_SCHEMA, type SettingsDocument } from './migrate.js';
import { DEFAULT_SETTINGS } from './schema.js';

/**
 * What conf (the CLI) and electron-store (the app) are both given, so they open one file with one
 * schema and the same defaults. No `migrations` option: {@link migrateStore} applies ours after opening.
 * An invalid file is never cleared: it is reported and left for the user to fix.
 */
export function sharedStoreOptions(paths: Paths) {
  return {
    cwd: paths.settingsDir,
    defaults: DEFAULT_SETTINGS,
    schema: SETTINGS_FILE_SCHEMA as never,
    clearInvalidConfig: false,
    configFileMode: 0o600,
  };
}

/**
 * Applies the migrations (migrate.ts) to a store just opened, conf's or electron-store's, writing the
 * result back through the public `store` setter only when they changed something (conf keeps the
 * private bookkeeping an older bbia-safe left in the file). Throws what the write throws.
 */
export function migrateStore(store: { store: object }): void {
  const doc = store.store as SettingsDocument;
  const migrated = migrate(doc);
  if (migrated !== doc) store.store = migrated;
}
