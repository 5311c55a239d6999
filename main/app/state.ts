import { formatAge } from '../../common/i18n/age.js';
import type { Engine } from '../engine/engine.js';
import { robotsOf } from '../engine/targets.js';
import { logLine } from '../../common/i18n/engine-text.js';
import { reasonText } from '../../common/i18n/reasons.js';
import { describeInterpreter } from '../engine/supervise/interpreter.js';
import { isProjectDir } from '../engine/supervise/launch.js';
import { tailLog } from '../engine/supervise/log-file.js';
import type { MachineSampler } from '../engine/monitor/machine.js';
import { Monitor, type MonitorState } from '../engine/monitor/monitor.js';
import type { BbiaProcess } from '../engine/scan/scan.js';
import type { Lang, AppTranslate } from '../../common/i18n/strings.js';
import { SETTINGS_KEYS } from '../ipc/validators.js';
import { type AppState, type Health, type HistoryView, type InstanceState, type LastExitView, type ProcessView, type SettingsView } from '../../common/contract.js';
import type { AppSupervisor } from './app-supervisor.js';
import { historyView } from './history-view.js';

/** Lines of the robot log the popover shows. */
export const LOG_LINES = 6;

/** The opaque id of a scanned process: its identity, never a PID alone. */
export function processId(p: Pick<BbiaProcess, 'pid' | 'startKey'>): string {
  return `${p.pid}:${p.startKey}`;
}

/** The settings subset the popover shows. */
export function settingsView(settings: SettingsView): SettingsView {
  return structuredClone(Object.fromEntries(SETTINGS_KEYS.map((k) => [k, settings[k]]))) as SettingsView;
}

/** Options of {@link createStateService}. */
export interface StateOptions {
  /** The app's language. */
  lang: Lang;
  /** Its translator. */
  t: AppTranslate;
  /** Clock (tests). */
  now?: () => number;
  /** A state younger than this is reused (the poll loop and the popover both ask); default half the poll interval. */
  minIntervalMs?: number;
  /** Sample the whole machine (machine.ts) at each poll: true for this machine's sampler, or one to use; default true. */
  machine?: boolean | MachineSampler;
  /** True while the popover shows: only then does a poll read ports and memory (monitor.ts); default always. */
  looking?: () => boolean;
  /** Hears every poll of the monitor (runaway notifications: `startedRunaways` comes once per episode). */
  onPoll?: (state: MonitorState) => void;
}

/** Why the state is a warning: untrusted files, an orphan, runaways, a robot outside bbia-safe, leftovers. */
export function warningReasons(m: MonitorState, settings: Pick<SettingsView, 'runaway' | 'leftoverMinutes'>, t: AppTranslate, lang: Lang = 'en'): string[] {
  const reasons = m.warnings.map((w) => logLine(lang, w));
  if (m.instance?.state === 'orphaned') reasons.push(t('reasonOrphan', { pid: m.instance.pid }));
  for (const r of m.runaways) {
    const p = r.process;
    const lasting = formatAge(m.at - r.since);
    if (r.reason === 'cpu') {
      reasons.push(t('reasonRunawayCpu', { pid: p.pid, kind: p.kind, cpu: p.cpu.toFixed(0), for: lasting, limit: r.cpuLimit, sustain: settings.runaway.sustainSeconds }));
    } else {
      reasons.push(t('reasonRunawayMemory', { pid: p.pid, kind: p.kind, mem: (p.memRss / 1048576).toFixed(0), limit: settings.runaway.memoryMB, for: lasting }));
    }
  }
  const robots = robotsOf(m.processes);
  if (robots.length > 1) reasons.push(t('reasonRobots', { n: robots.length, list: robots.map((r) => r.pid).join(', ') }));
  for (const p of robots) if (!p.locked) reasons.push(t('reasonUnmanaged', { pid: p.pid }));
  const n = m.leftovers.length;
  if (n > 0) reasons.push(settings.leftoverMinutes > 0 ? t('reasonLeftovers', { n, minutes: settings.leftoverMinutes }) : t('reasonLeftoversAny', { n }));
  return reasons;
}

/** The app's view of the engine: one monitor feeds the tray, the popover, the history and the id -> process map. */
export type StateService = ReturnType<typeof createStateService>;

/** Builds the state service on an engine and the app's supervision appSupervisor. */
export function createStateService(engine: Engine, appSupervisor: AppSupervisor, options: StateOptions) {
  const now = options.now ?? Date.now;
  const t = options.t;
  // The history's window is sized from the poll interval in force when the service starts (10 minutes)
  const intervalMs = engine.settings.pollInterval;
  const looking = options.looking ?? (() => true);
  // The supervised robot's descendants are known from the rows each poll read: no read of their own (supervisor.ts)
  const monitor = new Monitor(engine, { intervalMs, machine: options.machine ?? true, looking, observe: (rows) => appSupervisor.current?.observe(rows) });
  let last: { state: AppState; byId: Map<string, BbiaProcess>; processes: BbiaProcess[]; looked: boolean } | undefined;
  let busy: string | null = null;
  let generation = 0;
  let inflight: { generation: number; promise: Promise<AppState> } | undefined;
  let lookedAt = -1;

  const instanceOf = (m: MonitorState): InstanceState | null => {
    const i = m.instance;
    if (!i) return null;
    const tree = m.processes.filter((p) => p.locked);
    const own = appSupervisor.current?.record;
    return {
      pid: i.pid,
      state: i.state,
      mode: i.mode,
      startedAt: Date.parse(i.startedAt),
      supervisorPid: i.supervisorPid,
      ownedByApp: own !== undefined && own.pid === i.pid,
      cpu: Math.round(tree.reduce((s, p) => s + p.cpu, 0) * 10) / 10,
      memRss: tree.reduce((s, p) => s + p.memRss, 0),
      command: i.command,
    };
  };

  const lastExitOf = (m: MonitorState): LastExitView | null => {
    const e = m.lastExit;
    return e ? { pid: e.pid, mode: e.mode, exitCode: e.exitCode, signal: e.signal, at: Date.parse(e.at), lastLines: e.lastLines.slice(-LOG_LINES).map((l) => l.slice(0, 300)), finished: e.finished === true } : null;
  };

  const build = (m: MonitorState): AppState => {
    const reasons = warningReasons(m, engine.settings, t, options.lang);
    const instance = instanceOf(m);
    const health: Health = reasons.length > 0 ? 'warning' : instance ? 'running' : 'idle';
    const runaway = new Map(m.runaways.map((r) => [r.key, r.reason]));
    const leftover = new Set(m.leftovers.map(processId));
    const processes: ProcessView[] = m.processes.map((p) => ({
      id: processId(p),
      pid: p.pid,
      kind: p.kind,
      locked: p.locked,
      cpu: p.cpu,
      memRss: p.memRss,
      startedAt: p.startedAt,
      command: p.command,
      reason: reasonText(p.why, options.lang),
      ports: p.ports,
      depth: p.depth,
      runaway: runaway.get(processId(p)) ?? null,
      leftover: leftover.has(processId(p)),
    }));
    const settings = settingsView(engine.settings);
    const logLines = tailLog(engine.paths.robotLog, LOG_LINES).map((l) => l.slice(0, 300));
    const state: AppState = {
      at: m.at,
      health,
      reasons,
      locked: m.locked,
      instance,
      processes,
      busy,
      settings,
      projectOk: isProjectDir(settings.projectDir),
      interpreter: describeInterpreter(settings.python, { projectDir: settings.projectDir || undefined }),
      lang: options.lang,
      machine: m.machine ?? null,
      lastExit: lastExitOf(m),
      logLines,
      logExists: logLines.length > 0,
    };
    last = { state, byId: new Map(m.processes.map((p) => [processId(p), p])), processes: m.processes, looked: m.looked };
    options.onPoll?.(m);
    return state;
  };

  return {
    /** The monitor behind the state (its history). */
    monitor,

    /** Polls the monitor once (one history sample); concurrent calls share one poll. */
    poll(): Promise<AppState> {
      if (inflight && inflight.generation === generation) return inflight.promise;
      const previous = inflight?.promise.catch(() => undefined);
      const entry = { generation, promise: (async () => (await previous, build(await monitor.tick())))() };
      inflight = entry;
      void entry.promise.finally(() => {
        if (inflight === entry) inflight = undefined;
      }).catch(() => {});
      return entry.promise;
    },

    /** The last state when it is recent enough and was polled for someone looking if someone looks now, else a new poll. */
    async refresh(): Promise<AppState> {
      const fresh = options.minIntervalMs ?? engine.settings.pollInterval / 2;
      // Shown since the last poll: that poll read no ports, so poll again (once: a look under way is shared)
      if (last && !last.looked && looking() && lookedAt !== generation) return this.look();
      if (last && now() - last.state.at < fresh) return { ...last.state, busy };
      return this.poll();
    },

    /** Someone started looking (the popover shown): polls at once, ports and memory included, whatever poll is under way. */
    look(): Promise<AppState> {
      this.invalidate();
      lookedAt = generation;
      return this.poll();
    },

    /** The history of the last poll's processes, at most `samples` values per series. */
    history(samples: number): HistoryView {
      return historyView(monitor.history, last?.processes ?? [], samples, intervalMs);
    },

    /** The process an id names in the last scan, if it was there. */
    lookup(id: string): BbiaProcess | undefined {
      return last?.byId.get(id);
    },

    /** Forgets the last state, so the next refresh polls again (after an action). */
    invalidate(): void {
      generation++;
      if (last) last = { ...last, state: { ...last.state, at: -Infinity } };
    },

    /** Marks an action in progress (shown by the popover), or none. */
    setBusy(action: string | null): void {
      busy = action;
    },
  };
}
