import type { App } from 'electron';
import type { Engine } from '../engine/engine.js';
import type { AppTranslate } from '../../common/i18n/strings.js';
import { confirmRequest } from './confirm-text.js';
import type { AppSupervisor } from './app-supervisor.js';
import type { DialogPort } from '../ipc/ports.js';

const SIGNALS = { SIGTERM: 15, SIGINT: 2, SIGHUP: 1 } as const;

/**
 * One app instance at a time: false when another holds the lock (this one must quit). Opening the app
 * again shows the popover: a second launch (`second-instance`), and on macOS opening it from Finder,
 * Spotlight or `open -a` while it runs, which sends `activate` to the running app instead.
 */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'on' | 'quit'>, onReopen: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => onReopen());
  app.on('activate', () => onReopen());
  return true;
}

/** What the quit path needs. */
export interface QuitPathDeps {
  /** Electron's app (or a test's stand-in). */
  app: Pick<App, 'on' | 'quit' | 'exit'>;
  /** The robot this app supervises. */
  appSupervisor: Pick<AppSupervisor, 'current' | 'stop'>;
  /** Native dialogs. */
  dialogs: DialogPort;
  /** Settings in force and the plan of what a stop touches. */
  engine: Pick<Engine, 'settings' | 'planStop'>;
  /** Translator. */
  t: AppTranslate;
  /** Where to say what happened. */
  log: (message: string) => void;
  /** Where signals arrive (the process; a test's emitter). */
  signals?: Pick<NodeJS.Process, 'on'>;
}

/** The app's one way out. */
export interface QuitPath {
  /** Stops the supervised tree (bounded in time), releases the lock, then quits; no question asked. */
  stopAndQuit(reason: string): Promise<void>;
  /** True once the quit is under way for real (windows may close then). */
  readonly quitting: boolean;
}

/**
 * Installs the quit path. `before-quit` calls preventDefault() synchronously, asks when a robot runs
 * (confirmBeforeQuit), awaits the stop of the whole tree and the lock release, then quits on a later
 * tick behind a flag. Workaround: Electron does not await async `before-quit` handlers, so an async
 * cleanup there is cut short: https://github.com/electron/electron/issues/27201
 * SIGTERM, SIGINT and SIGHUP (and, from index.ts, logout and shutdown) take the same path, never asking.
 */
export function installQuitPath(deps: QuitPathDeps): QuitPath {
  const { app, appSupervisor, dialogs, engine, t, log } = deps;
  let allowed = false;
  let asking: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  const boundMs = () => engine.settings.stopTimeout * 1000 + 5000;

  const stopAndQuit = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      const sup = appSupervisor.current;
      if (sup) {
        log(`quitting (${reason}): stopping robot PID ${sup.record.pid} and its tree`);
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), boundMs())));
        const outcome = await Promise.race([appSupervisor.stop(reason).then(() => 'stopped' as const), timedOut]).catch((error: Error) => {
          log(`the stop failed: ${error.message}`);
          return 'failed' as const;
        });
        clearTimeout(timer);
        if (outcome !== 'stopped') {
          log(`the stop did not finish in ${boundMs()} ms: SIGKILL to the tree, quitting anyway`);
          void appSupervisor.stop(reason, true);
        }
      }
      allowed = true;
      // A later tick: quitting from inside the cancelled quit is ignored (electron#27201)
      setImmediate(() => app.quit());
    })();
    return stopping;
  };

  const askThenQuit = (): Promise<void> => {
    asking ??= (async () => {
      const sup = appSupervisor.current;
      if (sup && engine.settings.confirmBeforeQuit) {
        const request = confirmRequest('quit', engine.planStop().targets, t, { pid: sup.record.pid });
        if (!(await dialogs.confirm(request))) {
          log('quit cancelled: the robot keeps running');
          return;
        }
      }
      await stopAndQuit('quit');
    })().finally(() => (asking = undefined));
    return asking;
  };

  app.on('before-quit', (event: { preventDefault(): void }) => {
    if (allowed) return;
    event.preventDefault();
    if (!stopping) void askThenQuit();
  });

  for (const [signal, number] of Object.entries(SIGNALS)) {
    (deps.signals ?? process).on(signal as NodeJS.Signals, () => {
      log(`received ${signal}`);
      // Bounded: whatever happens, the process is gone shortly after the stop's own deadline
      setTimeout(() => app.exit(128 + number), boundMs() + 2000).unref();
      void stopAndQuit(signal);
    });
  }
  return {
    stopAndQuit,
    get quitting() {
      return allowed;
    },
  };
}
