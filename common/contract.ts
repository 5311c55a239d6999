/**
 * The one IPC contract of the app, as Gitify's `shared/events.ts`: channel -> request -> response,
 * the preload api built from it, and a run-time validator for every request.
 * Type-only imports: the sandboxed preload bundles this file and may not load Node modules. The run-time
 * validators of every request live in validators.ts (main only), derived from the settings schema.
 */
import type { InterpreterView } from '../main/engine/supervise/interpreter.js';
import type { Mode } from '../main/engine/supervise/launch.js';
import type { BbiaProcess } from '../main/engine/scan/scan.js';
import type { Settings } from '../main/engine/settings/schema.js';

/**
 * One BBIA process as the popover sees it: the scan's figures (the PID for display only), and an opaque
 * `id` (`pid:startKey`) issued by main from its last scan.
 */
export interface ProcessView extends Pick<BbiaProcess, 'pid' | 'kind' | 'locked' | 'cpu' | 'memRss' | 'startedAt' | 'command' | 'ports' | 'depth'> {
  /** Opaque identity from the last scan; the only way the renderer can name a process. */
  id: string;
  /** Why it is listed, in the app's language. */
  reason: string;
  /** Over a runaway threshold now: `cpu` (sustained) or `memory`; null otherwise. */
  runaway: 'cpu' | 'memory' | null;
  /** A leftover: a test, websocket or viewer process outside the instance, older than the threshold. */
  leftover: boolean;
}

/** The instance, with the figures of its whole tree. */
export interface InstanceState {
  /** Robot PID. */
  pid: number;
  /** `running`, or `orphaned` when its supervisor is gone. */
  state: 'running' | 'orphaned';
  /** Start mode. */
  mode: string;
  /** Robot start time, epoch ms. */
  startedAt: number;
  /** Supervisor PID (this app's, or a `bbia-safe start`'s). */
  supervisorPid: number;
  /** True when this app supervises it. */
  ownedByApp: boolean;
  /** CPU % summed over the instance's tree. */
  cpu: number;
  /** Resident memory summed over the instance's tree, bytes. */
  memRss: number;
  /** The robot's command. */
  command: string;
}

/** The settings the popover shows and edits. */
export type SettingsView = Pick<
  Settings,
  | 'projectDir'
  | 'python'
  | 'robotArgs'
  | 'defaultMode'
  | 'stopTimeout'
  | 'pollInterval'
  | 'runaway'
  | 'leftoverMinutes'
  | 'confirmStop'
  | 'confirmBeforeQuit'
  | 'notifications'
  | 'launchAtLogin'
>;

/** How the last robot that exited on its own ended (shown while no robot runs; restarting is the user's call). */
export interface LastExitView {
  /** Its PID. */
  pid: number;
  /** Its mode. */
  mode: string;
  /** Exit code, when it exited. */
  exitCode: number | null;
  /** Signal, when one ended it. */
  signal: string | null;
  /** When it ended, epoch ms. */
  at: number;
  /** The last lines of its log (that run's only). */
  lastLines: string[];
  /** True for a normal end: a timed run (test mode or `--duration`) that exited 0. */
  finished: boolean;
}

/** Whole-machine totals at the last poll. */
export interface MachineView {
  /** CPU %, 0-100. */
  cpu: number;
  /** Memory in use, MB. */
  usedMB: number;
}

/** What the tray and the popover say at a glance. */
export type Health = 'idle' | 'running' | 'warning';

/** Everything the popover renders. */
export interface AppState {
  /** When the scan was taken, epoch ms. */
  at: number;
  /** idle, running or warning. */
  health: Health;
  /** Why the state is `warning` (orphan, runaway, leftovers, a robot outside bbia-safe, untrusted files). */
  reasons: string[];
  /** True when the lock directory exists. */
  locked: boolean;
  /** The instance, or null. */
  instance: InstanceState | null;
  /** Every BBIA process, robot first. */
  processes: ProcessView[];
  /** The action in progress, if any. */
  busy: string | null;
  /** The settings subset. */
  settings: SettingsView;
  /** True when the saved project folder holds the robot script. */
  projectOk: boolean;
  /** The interpreter a start would run: the resolved Python (and its origin), or why a start would be refused. */
  interpreter: InterpreterView;
  /** The app's language. */
  lang: 'en' | 'fr';
  /** Machine totals, when they could be read. */
  machine: MachineView | null;
  /** The last robot that exited on its own, while none runs. */
  lastExit: LastExitView | null;
  /** The robot log's last lines (empty when there is no log yet). */
  logLines: string[];
  /** True when the robot log exists (Open log is possible). */
  logExists: boolean;
}

/** One series of the history: one value per poll, oldest first; null where there was no sample. */
export interface SeriesView {
  /** CPU %. */
  cpu: (number | null)[];
  /** Memory, MB (resident for a process, in use for the machine). */
  memMB: (number | null)[];
}

/** The last samples of the history (at most what was asked): the machine, the instance's tree, each process. */
export interface HistoryView {
  /** Milliseconds between two samples. */
  intervalMs: number;
  /** The whole machine. */
  machine: SeriesView;
  /** The instance's tree summed, or null when none runs. */
  instance: SeriesView | null;
  /** Each process of the last scan, by its opaque id. */
  processes: ({ id: string } & SeriesView)[];
}

/** The most samples one history request may ask for (10 minutes at 1 s). */
export const MAX_HISTORY_SAMPLES = 600;

/** The outcome of an action; `cancelled` when the user said no (nothing was done). */
export interface ActionResult {
  /** True when the action did what was asked. */
  ok: boolean;
  /** True when the user cancelled at the confirmation. */
  cancelled?: boolean;
  /** One sentence for the status line. */
  message: string;
}

/** The outcome of a settings change, with the settings now in force. */
export interface SettingsResult extends ActionResult {
  /** The settings in force after the change. */
  settings: SettingsView;
}

/** Every channel: its request and its response. */
export interface IpcContract {
  'state:get': { request: null; response: AppState };
  'robot:start': { request: { mode: Mode }; response: ActionResult };
  'robot:stop': { request: { force: boolean }; response: ActionResult };
  'process:stop': { request: { id: string }; response: ActionResult };
  'processes:kill-all': { request: null; response: ActionResult };
  'settings:get': { request: null; response: SettingsView };
  'settings:set': { request: Partial<SettingsView>; response: SettingsResult };
  'settings:pick-project': { request: null; response: SettingsResult };
  'history:get': { request: { samples: number }; response: HistoryView };
  'leftovers:cleanup': { request: null; response: ActionResult };
  'log:open': { request: null; response: ActionResult };
}

/** A channel name. */
export type Channel = keyof IpcContract;
/** The request of a channel. */
export type RequestOf<C extends Channel> = IpcContract[C]['request'];
/** The response of a channel. */
export type ResponseOf<C extends Channel> = IpcContract[C]['response'];

/** The api's method names and the channel each one invokes. */
export const API_METHODS = {
  getState: 'state:get',
  start: 'robot:start',
  stop: 'robot:stop',
  stopProcess: 'process:stop',
  killAll: 'processes:kill-all',
  getSettings: 'settings:get',
  setSettings: 'settings:set',
  pickProject: 'settings:pick-project',
  getHistory: 'history:get',
  cleanup: 'leftovers:cleanup',
  openLog: 'log:open',
} as const satisfies Record<string, Channel>;

type MethodOf<C extends Channel> = RequestOf<C> extends null ? () => Promise<ResponseOf<C>> : (request: RequestOf<C>) => Promise<ResponseOf<C>>;

/** The api the preload exposes (and the e2e shim imitates). */
export type Api = { [M in keyof typeof API_METHODS]: MethodOf<(typeof API_METHODS)[M]> };

/** A transport: sends one request on a channel and resolves with the response. */
export type Invoke = (channel: Channel, request: unknown) => Promise<unknown>;

/** Builds the api on a transport (ipcRenderer.invoke in the preload, fetch in the e2e shim). */
export function createApi(invoke: Invoke): Api {
  const api: Record<string, (request?: unknown) => Promise<unknown>> = {};
  for (const [method, channel] of Object.entries(API_METHODS)) api[method] = (request?: unknown) => invoke(channel, request ?? null);
  return api as Api;
}

/** True when `channel` is one of the contract's. */
export function isChannel(channel: unknown): channel is Channel {
  return typeof channel === 'string' && (Object.values(API_METHODS) as string[]).includes(channel);
}
