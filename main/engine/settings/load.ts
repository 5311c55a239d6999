import type { Paths } from '../paths.js';
import { readNoFollow } from '../safe-fs.js';
import { migrate, settingsFrom, SETTINGS_FILE_SCHEMA, type SettingsDocument } from './migrate.js';
import { DEFAULT_SETTINGS, type Settings } from './schema.js';
import { validate } from './validate.js';
import { engineText, type TextRef } from '../../../common/i18n/engine-text.js';
import type { Lang } from '../../../common/i18n/fill.js';

/** Settings as loaded: the values in force and, when the file could not be used, why. */
export interface LoadedSettings {
  /** The values in force (the file's, or the defaults when it is unusable). */
  settings: Settings;
  /** Set when the file is unusable; the file is then left untouched. */
  problem?: string;
  /** The same, in the given language (the CLI's and the app's). */
  problemIn?: (lang: Lang) => string;
}

/**
 * Reads the shared settings file without writing it: read-only commands stay cheap (no conf, no ajv:
 * 88 ms of start-up, bench/status.ts). The same schema is checked, pending migrations are applied in
 * memory (migrate.ts; the stores apply and record them when they open it), and an unusable file is reported and untouched.
 */
export function loadSettings(paths: Paths): LoadedSettings {
  const defaults = structuredClone(DEFAULT_SETTINGS);
  const read = readNoFollow(paths.settingsFile);
  if (read.kind === 'missing') return { settings: defaults };
  const unusable = (why: string | TextRef) => {
    const problemIn = (lang: Lang) =>
      engineText(lang, { key: 'settingsFileIgnored', vars: { file: paths.settingsFile, why: typeof why === 'string' ? why : engineText(lang, why) } });
    return { settings: defaults, problem: problemIn('en'), problemIn };
  };
  if (read.kind === 'invalid') return unusable(read.reason);
  let data: unknown;
  try {
    data = JSON.parse(read.text);
  } catch (error) {
    return unusable((error as Error).message);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return unusable('it is not a JSON object');
  // Checked as found and once migrated, as the stores do: conf checks the file at open, then its writes
  const schema = { type: 'object', properties: SETTINGS_FILE_SCHEMA } as never;
  const found = validate(data, schema, 'settings');
  if (found) return unusable(found);
  const migrated = migrate(data as SettingsDocument);
  const problem = migrated === data ? undefined : validate(migrated, schema, 'settings');
  if (problem) return unusable(problem);
  return { settings: settingsFrom(migrated) };
}
