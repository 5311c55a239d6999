/**
 * The menu-bar app: one instance, a tray icon that follows the engine, a sandboxed popover, native
 * confirmations, and a quit path that leaves nothing running. Electron-specific wiring only: the
 * work is done by the engine and the transport-free handler table in main/ipc.
 */
import path from 'node:path';
import { app, powerMonitor, session, shell } from 'electron';
import { installAppMenu } from './app/app-menu.js';
import { AwakeAppSupervisor } from './app/app-nap.js';
import { installCliFromApp } from './app/cli-install-app.js';
import { applyLoginItem } from './app/login-item.js';
import { openAppSettings } from './app/settings.js';
import { createEngine } from './engine/engine.js';
import { adoptLoginShellPath } from './engine/supervise/login-path.js';
import { checkCpuClock } from './engine/scan/proc/cpu-clock.js';
import type { Mode } from './engine/supervise/launch.js';
import { createPaths } from './engine/paths.js';
import { electronDialogs } from './app/dialogs.js';
import { cliInstallTranslator } from '../common/i18n/cli-install-strings.js';
import { appTranslator, langOf } from '../common/i18n/strings.js';
import { createHandlers } from './ipc/handlers.js';
import { registerIpc } from './ipc/register.js';
import { createStateService, processId } from './app/state.js';
import { claimSingleInstance, installQuitPath, type QuitPath } from './app/lifecycle.js';
import { Notifier } from './app/notifications.js';
import { createPopover, hardenContents, type Popover } from './app/popover.js';
import { AppTray } from './app/tray.js';

const OUT = path.resolve(import.meta.dirname, '..');
const log = (message: string) => console.error(`[bbia-safe] ${message}`);

async function main(): Promise<void> {
  let popover: Popover | undefined;
  // A second launch, or opening the app again from Finder or Spotlight (activate), shows the popover
  if (!claimSingleInstance(app, () => popover?.show())) return;
  // A menu-bar app stays when its popover closes
  app.on('window-all-closed', () => {});
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  await app.whenReady();
  // No Dock icon (LSUIElement does it before launch in the packaged app; this covers `npm start`)
  app.dock?.hide();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const paths = createPaths();
  const settings = openAppSettings(paths);
  if (settings.problem) log(settings.problem);
  // Opened from Finder or at login, the app gets launchd's PATH (/usr/bin:/bin:...): take the login shell's,
  // so python3, mjpython and the detached supervisor's Python are the ones the terminal finds (no-op off macOS)
  const loginPath = await adoptLoginShellPath().catch(() => undefined);
  if (loginPath) log(`PATH from the login shell: ${loginPath}`);
  // The main process never waits on lsof (macOS): a new process's folder is read in the background
  const engine = createEngine({ paths, settings: settings.port.read(), warnings: settings.problem ? [settings.problem] : [], nonBlockingCwd: true });
  // Some macOS builds report CPU time in Mach ticks (about 41x low): checked once, scaled or reported
  const clock = checkCpuClock(engine.source);
  if (clock && (clock.kind === 'mach-ticks' || clock.kind === 'disagrees')) log(clock.message);
  const lang = langOf(app.getLocale());
  const t = appTranslator(lang);
  // Launch at login follows the setting from the first run, not only once it is changed
  applyLoginItem(engine.settings);

  let tray: AppTray | undefined;
  let table: ReturnType<typeof createHandlers> | undefined;
  const report = (result: Promise<{ ok: boolean; cancelled?: boolean; message: string }>) =>
    void result.then(async (r) => {
      // Through the notifier: kept referenced until answered, and only when notifications are on
      if (!r.ok && !r.cancelled) notifier.message(r.message);
      tray?.update(await state.refresh());
    });
  let notificationsFailed = false;
  const notifier = new Notifier(() => engine.settings.notifications, t, {
    show: () => popover?.show(),
    // Stop from a notification takes the popover's path: the same confirmation, the same identity checks
    stop: (runaway) => {
      if (!table) return;
      popover?.show();
      report(runaway.process.locked ? table['robot:stop']({ force: false }) : table['process:stop']({ id: processId(runaway.process) }));
    },
    // What a notification said stays on the menu-bar icon (its state and tooltip) and in the popover's banner
    failed: (error) => {
      if (!notificationsFailed) log(`macOS did not show a notification (${error}); the menu-bar icon and the popover still show the alert. An unsigned build cannot notify: see the README.`);
      notificationsFailed = true;
      void state.refresh().then((s) => tray?.update(s));
    },
  });
  // Holds off App Nap while a robot is supervised (main/app/app-nap.ts)
  const appSupervisor = new AwakeAppSupervisor(engine, (end) => notifier.exited(end));
  // Ports (lsof on macOS) and memory (vm_stat) are read only while the popover shows: a hidden poll forks one ps
  const state = createStateService(engine, appSupervisor, { lang, t, looking: () => popover?.visible() ?? false, onPoll: (m) => notifier.runaways(m.startedRunaways, m.at) });

  let quitPath: QuitPath | undefined;
  popover = createPopover({
    preload: path.join(OUT, 'preload', 'index.cjs'),
    index: path.join(OUT, 'renderer', 'index.html'),
    trayBounds: () => tray?.bounds() ?? { x: 0, y: 0, width: 0, height: 0 },
    quitting: () => quitPath?.quitting ?? false,
    // What a hidden poll skipped is read at once, so the popover never shows a port-less list
    onShown: () => void state.look().then((s) => tray?.update(s), (error: Error) => log(`poll failed: ${error.message}`)),
  });
  const shown = popover;
  const dialogs = electronDialogs(shown);
  const cliT = cliInstallTranslator(lang);
  const installCli = () => void installCliFromApp(shown, cliT).catch((error: Error) => log(`installing the command line failed: ${error.message}`));
  // The app menu is never shown (LSUIElement: no menu bar) but it holds the key equivalents (⌘C, ⌘V, ⌘Q)
  installAppMenu({ name: app.name, packaged: app.isPackaged, t, installCli });
  let poll: NodeJS.Timeout | undefined;
  // The poll loop: one monitor tick per interval (history, runaways, leftovers), whether the popover is open or not
  const follow = () => {
    clearInterval(poll);
    poll = setInterval(() => {
      state.poll().then((s) => tray?.update(s), (error: Error) => log(`poll failed: ${error.message}`));
    }, engine.settings.pollInterval);
  };
  const handlers = createHandlers({
    engine,
    dialogs,
    appSupervisor,
    state,
    settings: settings.port,
    shell: { openPath: (file) => shell.openPath(file) },
    t,
    log,
    onSettingsChanged: (s) => {
      applyLoginItem(s);
      follow();
    },
  });
  table = handlers;
  registerIpc(handlers, () => shown.webContents);
  quitPath = installQuitPath({ app, appSupervisor, dialogs, engine, t, log });
  const quitting = quitPath;
  // Logout and shutdown take the quit path too: preventDefault delays them until the tree is stopped.
  // The event argument is documented but missing from electron.d.ts's 'shutdown' listener type.
  (powerMonitor as unknown as NodeJS.EventEmitter).on('shutdown', (event?: { preventDefault?(): void }) => {
    event?.preventDefault?.();
    void quitting.stopAndQuit('shutdown');
  });

  const trayActions = {
    toggle: (bounds: Electron.Rectangle) => shown.toggle(bounds),
    start: (mode: Mode) => report(handlers['robot:start']({ mode })),
    stop: (force: boolean) => report(handlers['robot:stop']({ force })),
    killAll: () => report(handlers['processes:kill-all'](null)),
    cleanup: () => report(handlers['leftovers:cleanup'](null)),
    // The tray menu is where a menu-bar app's users can reach it (tray.ts: TrayActions.installCli)
    installCli,
    quit: () => app.quit(),
  };
  tray = new AppTray(path.join(app.getAppPath(), 'assets'), t, trayActions);
  tray.update(await state.poll());
  follow();
}

main().catch((error: unknown) => {
  log(`failed to start: ${(error as Error).stack ?? String(error)}`);
  app.exit(1);
});
