import { KINDS, type Rule } from '../rules.js';
import { MODES, type Mode } from '../launch.js';

/** Runaway thresholds: a BBIA process above `cpuPercent` for `sustainSeconds`, or above `memoryMB`. */
export interface RunawaySettings {
  /** CPU % of one core. */
  cpuPercent: number;
  /** How long the CPU must stay above the threshold. */
  sustainSeconds: number;
  /** Resident memory threshold, MB. */
  memoryMB: number;
}

/** The one settings document shared by the app (electron-store) and the CLI (conf). */
export interface Settings {
  /** The BBIA project folder (holds scripts/launch_complete_robot.py); empty until chosen. */
  projectDir: string;
  /** Python interpreter, a name on PATH or a path. */
  python: string;
  /** Mode used when none is given. */
  defaultMode: Mode;
  /** Seconds between SIGTERM and SIGKILL. */
  stopTimeout: number;
  /** Milliseconds between two polls of the process table. */
  pollInterval: number;
  /** Runaway thresholds. */
  runaway: RunawaySettings;
  /** Ask before stopping (the app; the CLI always asks on a terminal unless --force). */
  confirmStop: boolean;
  /** Ask before quitting the app with a robot running. */
  confirmBeforeQuit: boolean;
  /** Native notifications. */
  notifications: boolean;
  /** Start the app at login. */
  launchAtLogin: boolean;
  /** Extra detection rules, tried after the defaults. */
  extraRules: Rule[];
  /** Test, websocket and viewer processes outside the instance count as leftovers after this many minutes. */
  leftoverMinutes: number;
  /** The robot log is rotated once it passes this size, MB. */
  logMaxMB: number;
}

/** Defaults: a laptop's sensible values. */
export const DEFAULT_SETTINGS: Settings = {
  projectDir: '',
  python: 'python3',
  defaultMode: 'graphical',
  stopTimeout: 5,
  pollInterval: 2000,
  runaway: { cpuPercent: 90, sustainSeconds: 60, memoryMB: 2048 },
  confirmStop: true,
  confirmBeforeQuit: true,
  notifications: true,
  launchAtLogin: false,
  extraRules: [],
  leftoverMinutes: 30,
  logMaxMB: 5,
};

/** JSON Schema of each key, as conf and electron-store take it. */
export const SETTINGS_SCHEMA = {
  projectDir: { type: 'string' },
  python: { type: 'string', minLength: 1 },
  defaultMode: { enum: [...MODES] },
  stopTimeout: { type: 'number', minimum: 0.1, maximum: 600 },
  pollInterval: { type: 'number', minimum: 250, maximum: 60000 },
  runaway: {
    type: 'object',
    properties: {
      cpuPercent: { type: 'number', minimum: 1, maximum: 10000 },
      sustainSeconds: { type: 'number', minimum: 1, maximum: 86400 },
      memoryMB: { type: 'number', minimum: 1 },
    },
    required: ['cpuPercent', 'sustainSeconds', 'memoryMB'],
    additionalProperties: false,
  },
  confirmStop: { type: 'boolean' },
  confirmBeforeQuit: { type: 'boolean' },
  notifications: { type: 'boolean' },
  launchAtLogin: { type: 'boolean' },
  leftoverMinutes: { type: 'number', minimum: 0, maximum: 10080 },
  logMaxMB: { type: 'number', minimum: 0.01, maximum: 10240 },
  extraRules: {
    type: 'array',
    maxItems: 100,
    items: {
      type: 'object',
      properties: { pattern: { type: 'string', minLength: 2 }, kind: { enum: [...KINDS] } },
      required: ['pattern', 'kind'],
      additionalProperties: false,
    },
  },
} as const;

/** A store of settings, as both conf and electron-store provide it. */
export interface SettingsStore {
  /** The whole document. */
  store: Record<string, unknown>;
}

/**
 * Named migrations (Caprine's config.ts style), keyed by the version that introduced them.
 * Both fronts pass the package version as projectVersion, so each runs once per file.
 */
export const SETTINGS_MIGRATIONS: Record<string, (store: SettingsStore) => void> = {
  /** 0.1.0: the seed tool kept a `mode` key; it is now `defaultMode`. */
  '0.1.0': function renameSeedMode(store: SettingsStore) {
    const { mode, ...rest } = store.store as { mode?: unknown };
    if (typeof mode === 'string' && (MODES as readonly string[]).includes(mode)) {
      store.store = { ...rest, defaultMode: mode };
    }
  },
};
