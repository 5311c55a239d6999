import { MODES } from '../supervise/launch.js';
import { DEFAULT_SETTINGS, OLD_RUNAWAY_DEFAULTS, ROBOT_CPU_PERCENT, SETTINGS_SCHEMA, type Settings } from './schema.js';

/**
 * Settings migrations, written once and applied by everyone who reads the file: the read-only loader
 * (load.ts, in memory) and the two stores at open (options.ts `migrateStore`, written back through
 * their public `store` setter). The file records how far it was migrated in a key of our own,
 * `settingsVersion`; conf's `migrations` option is not used, so nothing reads conf's private
 * bookkeeping (`__internal__`), which conf keeps as it found it in files written before.
 */

/** The settings file as JSON: the settings, `settingsVersion`, and whatever else an older or newer writer left. */
export type SettingsDocument = Record<string, unknown>;

/** The key of the file that says how many migrations it has had. */
export const VERSION_KEY = 'settingsVersion';

/** The schema of the whole file: the settings' and `settingsVersion` (no maximum: a newer bbia-safe may have written more). */
export const SETTINGS_FILE_SCHEMA = { ...SETTINGS_SCHEMA, [VERSION_KEY]: { type: 'number', minimum: 0 } } as const;

/**
 * Named migrations keyed by the `settingsVersion` they bring a file to (Caprine's config.ts style). Each is pure,
 * and each leaves alone a document it already migrated: a file written before `settingsVersion` existed runs them all.
 */
export const SETTINGS_MIGRATIONS: Readonly<Record<number, (doc: SettingsDocument) => SettingsDocument>> = {
  /** 1 (bbia-safe 0.1.0): the seed tool kept a `mode` key; it is now `defaultMode`. */
  1: function renameSeedMode(doc) {
    const { mode, ...rest } = doc;
    return typeof mode === 'string' && (MODES as readonly string[]).includes(mode) ? { ...rest, defaultMode: mode } : doc;
  },
  /**
   * 2 (bbia-safe 0.2.0): the robot has its own CPU threshold, above one core, and a runaway must last three minutes.
   * Thresholds still at the old defaults (written into the file by any earlier save) take the new ones;
   * thresholds the user chose keep their values and only gain the robot's.
   */
  2: function runawayFitsTheRealRobot(doc) {
    const runaway = doc.runaway as Record<string, unknown> | undefined;
    if (typeof runaway !== 'object' || runaway === null || Array.isArray(runaway)) return doc;
    const old = Object.entries(OLD_RUNAWAY_DEFAULTS).every(([k, v]) => runaway[k] === v) && Object.keys(runaway).length === 3;
    return { ...doc, runaway: old ? { ...DEFAULT_SETTINGS.runaway } : { robotCpuPercent: ROBOT_CPU_PERCENT, ...runaway } };
  },
};

/** The `settingsVersion` this bbia-safe writes: its last migration's. */
export const SETTINGS_VERSION = Math.max(...Object.keys(SETTINGS_MIGRATIONS).map(Number));

/**
 * The document with the migrations it has not had applied and `settingsVersion` recorded; the same object
 * when there is nothing to do (a file already at this version, or written by a newer bbia-safe). A file
 * without `settingsVersion` was written by an older bbia-safe (conf then kept the version in its private key):
 * it has every migration applied, which the migrations allow. Pure: the caller writes the result or not.
 */
export function migrate(doc: SettingsDocument): SettingsDocument {
  const recorded = doc[VERSION_KEY];
  const from = typeof recorded === 'number' && Number.isFinite(recorded) ? recorded : 0;
  if (from >= SETTINGS_VERSION) return doc;
  let next = doc;
  for (const version of Object.keys(SETTINGS_MIGRATIONS).map(Number).toSorted((a, b) => a - b)) {
    if (version > from) next = SETTINGS_MIGRATIONS[version]!(next);
  }
  return { ...next, [VERSION_KEY]: SETTINGS_VERSION };
}

/** The settings a document holds, over the defaults: only the settings' own keys (not `settingsVersion`, nor conf's). */
export function settingsFrom(doc: SettingsDocument): Settings {
  const settings = structuredClone(DEFAULT_SETTINGS) as unknown as SettingsDocument;
  for (const key of Object.keys(settings)) if (Object.hasOwn(doc, key)) settings[key] = doc[key];
  return settings as unknown as Settings;
}
