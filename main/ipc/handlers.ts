import fs from 'node:fs';
import path from 'node:path';
import { BbiaError } from '../engine/errors.js';
import type { Engine } from '../engine/engine.js';
import { isProjectDir } from '../engine/supervise/launch.js';
import type { Settings } from '../engine/settings/schema.js';
import { stopTree } from '../engine/supervise/stop-tree.js';
import { logLine } from '../../common/i18n/engine-text.js';
import type { AppTranslate } from '../../common/i18n/strings.js';
import { confirmRequest } from '../app/confirm-text.js';
import { VALIDATORS } from './validators.js';
import { isChannel, type ActionResult, type Channel, type RequestOf, type ResponseOf, type SettingsResult } from '../../common/contract.js';
import type { AppSupervisor } from '../app/app-supervisor.js';
import type { DialogPort, SettingsPort, ShellPort } from './ports.js';
import { settingsView, type StateService } from '../app/state.js';

/** What the handlers work with; the app and the e2e harness each build one. */
export interface HandlerDeps {
  /** The engine. */
  engine: Engine;
  /** Native dialogs. */
  dialogs: DialogPort;
  /** The robot this process supervises. */
  appSupervisor: AppSupervisor;
  /** Scans and the id -> process map. */
  state: StateService;
  /** The shared settings file. */
  settings: SettingsPort;
  /** Opens the robot log with the user's default app. */
  shell?: ShellPort;
  /** Translator. */
  t: AppTranslate;
  /** Hears settings once written (launch at login, poll interval). */
  onSettingsChanged?: (settings: Settings) => void;
  /** Where events worth keeping go. */
  log?: (message: string) => void;
}

/** The transport-free handler table: one plain async function per channel. */
export type HandlerTable = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

/** A request refused before any handler ran (unknown channel, bad payload, foreign sender). */
export class IpcRefusal extends Error {
  override name = 'IpcRefusal';
}

/** Validates a raw request and runs its handler; refuses anything the contract does not allow. */
export async function dispatch(table: HandlerTable, channel: unknown, payload: unknown): Promise<unknown> {
  if (!isChannel(channel)) throw new IpcRefusal(`refused: unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
  if (!VALIDATORS[channel](payload)) throw new IpcRefusal(`refused: invalid request on ${channel}`);
  return (table[channel] as (request: unknown) => Promise<unknown>)(payload ?? null);
}

/** Builds the handler table on its dependencies. */
export function createHandlers(deps: HandlerDeps): HandlerTable {
  const { engine, dialogs, appSupervisor, state, t } = deps;
  const log = deps.log ?? (() => {});
  let running: string | undefined;
  const fail = (error: unknown): ActionResult => ({
    ok: false,
    message: error instanceof BbiaError && error.hint ? `${error.message} (${error.hint})` : (error as Error).message,
  });
  // One action at a time: a second click while a stop runs is told so, never queued behind it
  const exclusive = async (name: string, action: () => Promise<ActionResult>): Promise<ActionResult> => {
    if (running) return { ok: false, message: t('busy') };
    running = name;
    state.setBusy(name);
    try {
      return await action();
    } catch (error) {
      return fail(error);
    } finally {
      running = undefined;
      state.setBusy(null);
      state.invalidate();
    }
  };
  const ask = (request: Parameters<DialogPort['confirm']>[0], always = false) =>
    always || engine.settings.confirmStop ? dialogs.confirm(request) : Promise.resolve(true);
  const cancelled: ActionResult = { ok: false, cancelled: true, message: t('cancelled') };
  const settingsFail = (message: string): SettingsResult => ({ ok: false, message, settings: settingsView(engine.settings) });
  const save = (patch: Partial<Settings>, message: string): SettingsResult => {
    try {
      Object.assign(engine.settings, deps.settings.write(patch));
    } catch (error) {
      return settingsFail((error as Error).message);
    }
    deps.onSettingsChanged?.(engine.settings);
    return { ok: true, message, settings: settingsView(engine.settings) };
  };

  return {
    'state:get': async () => state.refresh(),

    'robot:start': ({ mode }) =>
      exclusive('start', async () => {
        const dir = engine.settings.projectDir;
        if (!dir) return { ok: false, message: t('noProject') };
        if (!isProjectDir(dir)) return { ok: false, message: t('projectInvalid', { dir }) };
        // The robotArgs setting, as `bbia-safe start` gives it; the engine's notices go to the app's log in English
        const sup = await appSupervisor.start(mode, dir, (event) => log(logLine('en', event)), engine.settings.robotArgs);
        return { ok: true, message: t('started', { pid: sup.record.pid, mode }) };
      }),

    'robot:stop': ({ force }) =>
      exclusive(force ? 'force-stop' : 'stop', async () => {
        const plan = engine.planStop();
        const live = plan.inspection.live;
        if (!live) {
          await engine.clearStale();
          return { ok: true, message: t('nothingToStop') };
        }
        const timeout = engine.settings.stopTimeout;
        if (!(await ask(confirmRequest(force ? 'force-stop' : 'stop', plan.targets, t, { timeout })))) return cancelled;
        const own = appSupervisor.current?.record;
        const report =
          own && own.pid === live.record.pid && own.startKey === live.record.startKey
            ? (await appSupervisor.stop(force ? 'force-stop' : 'stop', force))?.report
            : await engine.stop(plan, force ? 0 : timeout * 1000);
        if (report && report.survivors.length > 0) return { ok: false, message: t('survivors', { list: report.survivors.map((p) => p.pid).join(', ') }) };
        return { ok: true, message: t('stopped', { n: report?.targeted.length ?? 0, ms: report?.elapsedMs ?? 0 }) };
      }),

    'process:stop': ({ id }) =>
      exclusive('stop-process', async () => {
        const target = state.lookup(id);
        if (!target) return { ok: false, message: t('notInScan') };
        if (target.locked) return { ok: false, message: t('partOfInstance') };
        // Main re-checks identity before any signal: the PID must still be that process (same start time and command)
        const now = engine.source.read(target.pid);
        if (now?.startKey !== target.startKey || now.command !== target.command) return { ok: false, message: t('processGone', { pid: target.pid }) };
        const timeout = engine.settings.stopTimeout;
        if (!(await ask(confirmRequest('stop-process', [target], t, { timeout })))) return cancelled;
        const report = await stopTree(engine.source, target, { timeoutMs: timeout * 1000 });
        if (report.survivors.length > 0) return { ok: false, message: t('survivors', { list: report.survivors.map((p) => p.pid).join(', ') }) };
        return { ok: true, message: t('stopped', { n: report.targeted.length, ms: report.elapsedMs }) };
      }),

    'processes:kill-all': () =>
      exclusive('kill-all', async () => {
        const targets = engine.planKillAll();
        if (targets.length === 0) return { ok: true, message: t('nothingToKill') };
        // Kill all is the last resort: it always asks, whatever confirmStop says
        if (!(await ask(confirmRequest('kill-all', targets, t), true))) return cancelled;
        const own = appSupervisor.current ? appSupervisor.stop('kill-all', true) : undefined;
        const { survivors } = await engine.killAll(targets);
        await own;
        await engine.clearStale();
        if (survivors.length > 0) return { ok: false, message: t('survivors', { list: survivors.map((p) => p.pid).join(', ') }) };
        return { ok: true, message: t('killed', { n: targets.length }) };
      }),

    'leftovers:cleanup': () =>
      exclusive('cleanup', async () => {
        const targets = engine.planCleanup();
        if (targets.length === 0) return { ok: true, message: t('noLeftovers') };
        const timeout = engine.settings.stopTimeout;
        const request = confirmRequest('cleanup', targets, t, { timeout, minutes: engine.settings.leftoverMinutes });
        if (!(await ask(request))) return cancelled;
        const started = Date.now();
        // stopTree re-checks each identity (PID and start time) before any signal
        const { survivors } = await engine.cleanup(targets, timeout * 1000);
        if (survivors.length > 0) return { ok: false, message: t('survivors', { list: survivors.map((p) => p.pid).join(', ') }) };
        return { ok: true, message: t('cleaned', { n: targets.length, ms: Date.now() - started }) };
      }),

    'history:get': async ({ samples }) => state.history(samples),

    'log:open': async () => {
      const file = engine.paths.robotLog;
      if (!fs.existsSync(file)) return { ok: false, message: t('noLog') };
      const why = deps.shell ? await deps.shell.openPath(file) : 'no shell';
      return why ? { ok: false, message: t('logOpenFailed', { file: path.basename(file), why }) } : { ok: true, message: t('logOpened', { file: path.basename(file) }) };
    },

    'settings:get': async () => settingsView(engine.settings),

    'settings:set': async (patch) => {
      if (patch.projectDir && !isProjectDir(patch.projectDir)) return settingsFail(t('projectInvalid', { dir: patch.projectDir }));
      return save(patch, t('settingsSaved'));
    },

    'settings:pick-project': async () => {
      const dir = await dialogs.pickFolder(t('pickTitle'), engine.settings.projectDir || engine.paths.home);
      if (!dir) return { ...settingsFail(t('pickCancelled')), cancelled: true };
      if (!isProjectDir(dir)) return settingsFail(t('projectInvalid', { dir }));
      return save({ projectDir: dir }, t('projectSaved', { dir }));
    },
  };
}
