import type { Engine, StatusReport } from '../engine/engine.js';
import { isProjectDir } from '../engine/launch.js';
import type { BbiaProcess } from '../engine/scan.js';
import type { Lang, AppTranslate } from '../i18n/strings.js';
import { SETTINGS_KEYS, type AppState, type Health, type InstanceState, type ProcessView, type SettingsView } from './contract.js';
import type { SupervisionHolder } from './holder.js';

/** The opaque id of a scanned process: its identity, never a PID alone. */
export function processId(p: Pick<BbiaProcess, 'pid' | 'startKey'>): string {
  return `${p.pid}:${p.startKey}`;
}

/** The settings subset the popover shows. */
export function settingsView(settings: SettingsView): SettingsView {
  return Object.fromEntries(SETTINGS_KEYS.map((k) => [k, settings[k]])) as SettingsView;
}

/** Options of {@link createStateService}. */
export interface StateOptions {
  /** The app's language. */
  lang: Lang;
  /** Its translator. */
  t: AppTranslate;
  /** Clock (tests). */
  now?: () => number;
  /** Scans closer together than this reuse the last one (the tray and the popover both poll). */
  minIntervalMs?: number;
}

/** The app's view of the engine: one scan feeds the tray, the popover, and the id -> process map. */
export type StateService = ReturnType<typeof createStateService>;

/** Builds the state service on an engine and the app's supervision holder. */
export function createStateService(engine: Engine, holder: SupervisionHolder, options: StateOptions) {
  const now = options.now ?? Date.now;
  const t = options.t;
  const overSince = new Map<string, number>();
  let last: { state: AppState; byId: Map<string, BbiaProcess> } | undefined;
  let busy: string | null = null;

  const reasonsOf = (report: StatusReport, at: number): string[] => {
    const reasons = [...report.warnings];
    const { runaway } = engine.settings;
    if (report.instance?.state === 'orphaned') reasons.push(t('reasonOrphan', { pid: report.instance.pid }));
    const strays = report.processes.filter((p) => !p.locked);
    if (strays.length > 0) reasons.push(t('reasonStrays', { n: strays.length }));
    const seen = new Set<string>();
    for (const p of report.processes) {
      const id = processId(p);
      seen.add(id);
      if (p.cpu >= runaway.cpuPercent) overSince.set(id, overSince.get(id) ?? at);
      else overSince.delete(id);
      const since = overSince.get(id);
      if (p.memRss >= runaway.memoryMB * 1024 * 1024) {
        reasons.push(t('reasonRunaway', { pid: p.pid, kind: p.kind, what: `${(p.memRss / 1048576).toFixed(0)} MB RAM` }));
      } else if (since !== undefined && at - since >= runaway.sustainSeconds * 1000) {
        reasons.push(t('reasonRunaway', { pid: p.pid, kind: p.kind, what: `${p.cpu.toFixed(0)}% CPU for ${Math.round((at - since) / 1000)} s` }));
      }
    }
    for (const id of overSince.keys()) if (!seen.has(id)) overSince.delete(id);
    return reasons;
  };

  const instanceOf = (report: StatusReport): InstanceState | null => {
    const i = report.instance;
    if (!i) return null;
    const tree = report.processes.filter((p) => p.locked);
    const own = holder.current?.record;
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

  return {
    /** Scans (or reuses a scan younger than the minimum interval) and returns the whole state. */
    refresh(): AppState {
      const at = now();
      if (last && at - last.state.at < (options.minIntervalMs ?? 200)) return { ...last.state, busy };
      const { scan: _scan, inspection: _inspection, ...report } = engine.snapshot();
      const reasons = reasonsOf(report, at);
      const instance = instanceOf(report);
      const health: Health = reasons.length > 0 ? 'warning' : instance ? 'running' : 'idle';
      const processes: ProcessView[] = report.processes.map((p) => ({
        id: processId(p),
        pid: p.pid,
        kind: p.kind,
        locked: p.locked,
        cpu: p.cpu,
        memRss: p.memRss,
        startedAt: p.startedAt,
        command: p.command,
      }));
      const settings = settingsView(engine.settings);
      const state: AppState = { at, health, reasons, locked: report.locked, instance, processes, busy, settings, projectOk: isProjectDir(settings.projectDir), lang: options.lang };
      last = { state, byId: new Map(report.processes.map((p) => [processId(p), p])) };
      return state;
    },
    /** The process an id names in the last scan, if it was there. */
    lookup(id: string): BbiaProcess | undefined {
      return last?.byId.get(id);
    },
    /** Forgets the last scan, so the next refresh scans again (after an action). */
    invalidate(): void {
      if (last) last = { ...last, state: { ...last.state, at: -Infinity } };
    },
    /** Marks an action in progress (shown by the popover), or none. */
    setBusy(action: string | null): void {
      busy = action;
    },
  };
}
