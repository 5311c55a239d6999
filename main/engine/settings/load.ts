import { packageVersion } from '../package-info.js';
import type { Paths } from '../paths.js';
import { readNoFollow } from '../safe-fs.js';
import { DEFAULT_SETTINGS, SETTINGS_MIGRATIONS, SETTINGS_SCHEMA, type Settings, type SettingsStore } from './schema.js';
import { validate } from './validate.js';
import { engineText, type TextRef } from '../../i18n/engine-text.js';
import type { Lang } from '../../i18n/fill.js';

/** Settings as loaded: the values in force and, when the file could not be used, why. */
export interface LoadedSettings {
  /** The values in force (the file's, or the defaults when it is unusable). */
  settings: Settings;
  /** Set when the file is unusable; the file is then left untouched. */
  problem?: string;
  /** The same, in the given language (the CLI's and the app's). */
  problemIn?: (lang: Lang) => string;
}

const semver = (v: string) => v.split('.').map((n) => Number.parseInt(n, 10) || 0);
const compare = (a: string, b: string) => {
  const [x, y] = [semver(a), semver(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

/**
 * Reads the shared settings file without writing it: read-only commands stay cheap (no conf, no ajv:
 * 88 ms of start-up, bench/status.ts). The same schema is checked, pending migrations are applied in
 * memory (conf applies and records them at the next write), and an unusable file is reported and untouched.
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
  const store: SettingsStore = { store: { ...(data as Record<string, unknown>) } };
  const done = ((store.store.__internal__ as { migrations?: { version?: string } } | undefined)?.migrations?.version) ?? '0.0.0';
  const current = packageVersion();
  for (const version of Object.keys(SETTINGS_MIGRATIONS).sort(compare)) {
    if (compare(version, done) > 0 && compare(version, current) <= 0) SETTINGS_MIGRATIONS[version]!(store);
  }
  const { __internal__: _internal, ...values } = store.store;
  const problem = validate(values, { type: 'object', properties: SETTINGS_SCHEMA as never }, 'settings');
  if (problem) return unusable(problem);
  return { settings: { ...defaults, ...(values as Partial<Settings>) } };
}
