import { KINDS, type Rule } from '../scan/rules.js';
import { MODES, type Mode } from '../supervise/launch.js';
import { MAX_ROBOT_ARG_LENGTH, MAX_ROBOT_ARGS } from './robot-args.js';

/**
 * Runaway thresholds: a BBIA process above its CPU threshold for `sustainSeconds`, or above `memoryMB`.
 * The robot (and a simulator) runs one core flat out by design when headless, so it has its own CPU
 * threshold, above one core (runaway.ts).
 */
export interface RunawaySettings {
  /** CPU % of one core, for every process but the robot and simulators (tests, servers, websocket clients...). */
  cpuPercent: number;
  /** CPU % of one core for the robot and simulators; absent in files older than 0.2.0 (the default then applies). */
  robotCpuPercent?: number;
  /** How long the CPU must stay above the threshold. */
  sustainSeconds: number;
  /** Resident memory threshold, MB. */
  memoryMB: number;
}

/**
 * The robot's CPU threshold: one core (100 %) flat out is its normal headless run, so it is judged above
 * that, with a margin for what a sample over a poll interval adds (a few %) and for the robot's own helper
 * threads (logging, the viewer's render thread in graphical mode: the seed's graphical robot ran at 73.6 %).
 */
export const ROBOT_CPU_PERCENT = 130;

/** The runaway thresholds before 0.2.0, which flagged every headless run of the real robot after a minute. */
export const OLD_RUNAWAY_DEFAULTS = { cpuPercent: 90, sustainSeconds: 60, memoryMB: 2048 } as const;

/** The one settings document shared by the app (electron-store) and the CLI (conf). */
export interface Settings {
  /** The BBIA project folder (holds scripts/launch_complete_robot.py); empty until chosen. */
  projectDir: string;
  /** Python interpreter, a name on PATH or a path. */
  python: string;
  /** Arguments given to the launcher at every start, after the mode's flags and before `start -- ARGS` (e.g. `--model reachy_mini.xml`). */
  robotArgs: string[];
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
  robotArgs: [],
  defaultMode: 'graphical',
  stopTimeout: 5,
  pollInterval: 2000,
  // A leftover test or server busy for three minutes is a runaway; a test run of a few files is not
  runaway: { cpuPercent: 90, robotCpuPercent: ROBOT_CPU_PERCENT, sustainSeconds: 180, memoryMB: 2048 },
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
  projectDir: { type: 'string', maxLength: 4096 },
  python: { type: 'string', minLength: 1, maxLength: 1024 },
  robotArgs: { type: 'array', maxItems: MAX_ROBOT_ARGS, items: { type: 'string', maxLength: MAX_ROBOT_ARG_LENGTH } },
  defaultMode: { enum: [...MODES] },
  stopTimeout: { type: 'number', minimum: 0.1, maximum: 600 },
  pollInterval: { type: 'number', minimum: 250, maximum: 60000 },
  runaway: {
    type: 'object',
    properties: {
      cpuPercent: { type: 'number', minimum: 1, maximum: 10000 },
      robotCpuPercent: { type: 'number', minimum: 1, maximum: 10000 },
      sustainSeconds: { type: 'number', minimum: 1, maximum: 86400 },
      memoryMB: { type: 'number', minimum: 1, maximum: 16 * 1024 * 1024 },
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
