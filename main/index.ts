/**
 * The menu-bar app: one instance, a tray icon that follows the engine, a sandboxed popover, native
 * confirmations, and a quit path that leaves nothing running. Electron-specific wiring only: the
 * work is done by the engine and the transport-free handler table in main/ipc.
 */
import path from 'node:path';
import { app, powerMonitor, session } from 'electron';
import { applyLoginItem, openAppSettings } from './settings.js';
import { createEngine } from './engine/engine.js';
import { createPaths } from './engine/paths.js';
import { electronDialogs } from './dialogs.js';
import { appTranslator, langOf } from './i18n/strings.js';
import { createHandlers } from './ipc/handlers.js';
import { SupervisionHolder } from './ipc/holder.js';
import { registerIpc } from './ipc/register.js';
import { createStateService } from './ipc/state.js';
import { claimSingleInstance, installQuitPath } from './lifecycle.js';
import { notify } from './notifications.js';
import { createPopover, hardenContents, type Popover } from './popover.js';
import { AppTray } from './tray.js';

const OUT = path.resolve(import.meta.dirname, '..');
const log = (message: string) => console.error(`[bbia-safe] ${message}`);

async function main(): Promise<void> {
  let popover: Popover | undefined;
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
  const engine = createEngine({ paths, settings: settings.port.read(), warnings: settings.problem ? [settings.problem] : [] });
  const lang = langOf(app.getLocale());
  const t = appTranslator(lang);
  const holder = new SupervisionHolder(engine, (end) => {
    if (end.stoppedBy) return;
    notify(engine.settings.notifications, t('exitedTitle'), t('exitedBody', { how: end.exitCode !== null ? `exit code ${end.exitCode}` : `signal ${end.signal}` }));
  });
  const state = createStateService(engine, holder, { lang, t });

  let tray: AppTray | undefined;
  popover = createPopover({
    preload: path.join(OUT, 'preload', 'index.cjs'),
    index: path.join(OUT, 'renderer', 'index.html'),
    trayBounds: () => tray?.bounds() ?? { x: 0, y: 0, width: 0, height: 0 },
  });
  const dialogs = electronDialogs(popover);
  let poll: NodeJS.Timeout | undefined;
  const follow = () => {
    clearInterval(poll);
    poll = setInterval(() => tray?.update(state.refresh()), engine.settings.pollInterval);
  };
  const table = createHandlers({
    engine,
    dialogs,
    holder,
    state,
    settings: settings.port,
    t,
    log,
    onSettingsChanged: (s) => {
      applyLoginItem(s);
      follow();
    },
  });
  const shown = popover;
  registerIpc(table, () => shown.webContents);
  const quitPath = installQuitPath({ app, holder, dialogs, engine, t, log });
  // Logout and shutdown take the quit path too: preventDefault delays them until the tree is stopped.
  // The event argument is documented but missing from electron.d.ts's 'shutdown' listener type.
  (powerMonitor as unknown as NodeJS.EventEmitter).on('shutdown', (event?: { preventDefault?(): void }) => {
    event?.preventDefault?.();
    void quitPath.stopAndQuit('shutdown');
  });

  const report = (result: Promise<{ ok: boolean; cancelled?: boolean; message: string }>) =>
    void result.then((r) => {
      if (!r.ok && !r.cancelled) notify(true, 'bbia-safe', r.message);
      tray?.update(state.refresh());
    });
  tray = new AppTray(path.join(app.getAppPath(), 'assets'), t, {
    toggle: (bounds) => shown.toggle(bounds),
    start: (mode) => report(table['robot:start']({ mode })),
    stop: (force) => report(table['robot:stop']({ force })),
    killAll: () => report(table['processes:kill-all'](null)),
    quit: () => app.quit(),
  });
  tray.update(state.refresh());
  follow();
}

main().catch((error: unknown) => {
  log(`failed to start: ${(error as Error).stack ?? String(error)}`);
  app.exit(1);
});
