/**
 * The run-time validator of every request (main trusts no payload). Settings are checked against the one
 * settings schema (engine/settings/schema.ts), so a range is written once; on top, what only IPC needs:
 * no NUL in any text, an absolute project folder. Main only: the preload never loads this file.
 */
import { MODES, type Mode } from '../engine/supervise/launch.js';
import { SETTINGS_SCHEMA } from '../engine/settings/schema.js';
import { validate } from '../engine/settings/validate.js';
import { MAX_HISTORY_SAMPLES, type Channel, type RequestOf, type SettingsView } from '../../common/contract.js';

type Guard<T> = (value: unknown) => value is T;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const onlyKeys = (v: Record<string, unknown>, keys: readonly string[]) => Object.keys(v).every((k) => keys.includes(k));
const isNull: Guard<null> = (v): v is null => v === null || v === undefined;
const inRange = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;

/** True when no string inside `v` holds a NUL (a path or argument that would be cut short). */
function noNul(v: unknown): boolean {
  if (typeof v === 'string') return !v.includes('\0');
  if (Array.isArray(v)) return v.every(noNul);
  return true;
}

/** The settings the popover may change: each key of {@link SettingsView}, once. */
const VIEW_KEYS: { [K in keyof SettingsView]-?: true } = {
  projectDir: true,
  python: true,
  robotArgs: true,
  defaultMode: true,
  stopTimeout: true,
  pollInterval: true,
  runaway: true,
  leftoverMinutes: true,
  confirmStop: true,
  confirmBeforeQuit: true,
  notifications: true,
  launchAtLogin: true,
};

/** The keys of {@link SettingsView}. */
export const SETTINGS_KEYS = Object.keys(VIEW_KEYS) as (keyof SettingsView)[];

/** What IPC adds to the schema for a key. */
const EXTRA: Partial<Record<keyof SettingsView, (v: unknown) => boolean>> = {
  projectDir: (v) => v === '' || (typeof v === 'string' && v.startsWith('/')),
  python: (v) => typeof v === 'string' && v.trim().length > 0,
};

/** Checks one settings key against the shared schema, then what IPC adds. */
function settingOk(key: string, value: unknown): boolean {
  if (!Object.hasOwn(VIEW_KEYS, key)) return false;
  const k = key as keyof SettingsView;
  if (validate(value, SETTINGS_SCHEMA[k] as Parameters<typeof validate>[1], k) !== undefined) return false;
  if (k === 'runaway' && !isRecord(value)) return false;
  return noNul(value) && (EXTRA[k]?.(value) ?? true);
}

/** One validator per channel: true only for a well-formed request (unknown keys are refused). */
export const VALIDATORS: { [C in Channel]: Guard<RequestOf<C>> } = {
  'state:get': isNull,
  'robot:start': (v): v is { mode: Mode } => isRecord(v) && onlyKeys(v, ['mode']) && (MODES as readonly unknown[]).includes(v.mode),
  'robot:stop': (v): v is { force: boolean } => isRecord(v) && onlyKeys(v, ['force']) && typeof v.force === 'boolean',
  'process:stop': (v): v is { id: string } => isRecord(v) && onlyKeys(v, ['id']) && typeof v.id === 'string' && /^\d{1,10}:[\w.:-]{1,64}$/.test(v.id),
  'processes:kill-all': isNull,
  'settings:get': isNull,
  'settings:set': (v): v is Partial<SettingsView> => isRecord(v) && Object.keys(v).length > 0 && Object.entries(v).every(([k, x]) => settingOk(k, x)),
  'settings:pick-project': isNull,
  'history:get': (v): v is { samples: number } =>
    isRecord(v) && onlyKeys(v, ['samples']) && Number.isSafeInteger(v.samples) && inRange(v.samples, 2, MAX_HISTORY_SAMPLES),
  'leftovers:cleanup': isNull,
  'log:open': isNull,
};
