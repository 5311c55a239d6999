import path from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type Rectangle } from 'electron';
import type { Mode } from '../engine/supervise/launch.js';
import type { AppTranslate } from '../../common/i18n/strings.js';
import type { AppState, Health } from '../../common/contract.js';

/** What the tray menu can do. */
export interface TrayActions {
  /** Left click: the popover. */
  toggle(bounds: Rectangle): void;
  /** Start in a mode. */
  start(mode: Mode): void;
  /** Stop (force: SIGKILL at once). */
  stop(force: boolean): void;
  /** Kill every BBIA process. */
  killAll(): void;
  /** Stop the leftovers (after a confirmation). */
  cleanup(): void;
  /** Install Command Line Tool… */
  installCli(): void;
  /** Quit the app (through the quit path). */
  quit(): void;
}

/** The template image of a state: black on transparent, so macOS tints it for light and dark menu bars. */
export function trayImageFile(assetsDir: string, health: Health): string {
  const name = { idle: 'trayIdleTemplate', running: 'trayRunningTemplate', warning: 'trayWarningTemplate' }[health];
  return path.join(assetsDir, `${name}.png`);
}

/** How many leftovers a state lists. */
export function leftoverCount(state: AppState | undefined): number {
  return state?.processes.filter((p) => p.leftover).length ?? 0;
}

/** The right-click menu: the popover's actions, the leftover count and its cleanup, and Quit, enabled as the state allows. */
export function trayMenuTemplate(state: AppState | undefined, t: AppTranslate, actions: TrayActions, trayBounds: () => Rectangle): MenuItemConstructorOptions[] {
  const running = state?.instance != null;
  const canStart = !running && state?.projectOk === true && state.busy === null;
  const modes: Mode[] = ['graphical', 'headless', 'test'];
  const leftovers = leftoverCount(state);
  return [
    { label: t('menuOpen'), click: () => actions.toggle(trayBounds()) },
    { type: 'separator' },
    { label: t('menuStart'), enabled: canStart, submenu: modes.map((mode) => ({ label: mode, click: () => actions.start(mode) })) },
    { label: t('stop'), enabled: running, click: () => actions.stop(false) },
    { label: t('forceStop'), enabled: running, click: () => actions.stop(true) },
    { type: 'separator' },
    { label: leftovers > 0 ? t('menuLeftovers', { n: leftovers }) : t('menuNoLeftovers'), enabled: false },
    { label: t('menuCleanup'), enabled: leftovers > 0 && state?.busy === null, click: () => actions.cleanup() },
    { label: `${t('killAll')}…`, enabled: (state?.processes.length ?? 0) > 0, click: () => actions.killAll() },
    { type: 'separator' },
    { label: t('menuInstallCli'), click: () => actions.installCli() },
    { type: 'separator' },
    { label: t('menuQuit'), click: () => actions.quit() },
  ];
}

/** The menu-bar icon: its image and tooltip follow the engine's state; click opens the popover, right-click the menu. */
export class AppTray {
  readonly #tray: Tray;
  #health: Health = 'idle';
  #state: AppState | undefined;

  /** Creates the icon (idle until the first state arrives). */
  constructor(
    private readonly assetsDir: string,
    private readonly t: AppTranslate,
    actions: TrayActions,
  ) {
    this.#tray = new Tray(this.#image('idle'));
    this.#tray.setToolTip(t('tooltipIdle'));
    this.#tray.on('click', (_event, bounds) => actions.toggle(bounds));
    this.#tray.on('right-click', () => {
      this.#tray.popUpContextMenu(Menu.buildFromTemplate(trayMenuTemplate(this.#state, this.t, actions, () => this.#tray.getBounds())));
    });
  }

  /** The state shown now. */
  get health(): Health {
    return this.#health;
  }

  /** The icon's bounds (where the popover goes). */
  bounds(): Rectangle {
    return this.#tray.getBounds();
  }

  /** Follows a new state: the image changes only when the health does. */
  update(state: AppState): void {
    this.#state = state;
    if (state.health !== this.#health) {
      this.#health = state.health;
      this.#tray.setImage(this.#image(state.health));
    }
    const tip = state.health === 'running' ? this.t('tooltipRunning', { pid: state.instance?.pid ?? '' }) : state.health === 'warning' ? `${this.t('tooltipWarning')}\n${state.reasons.join('\n')}` : this.t('tooltipIdle');
    this.#tray.setToolTip(tip);
  }

  #image(health: Health) {
    const image = nativeImage.createFromPath(trayImageFile(this.assetsDir, health));
    image.setTemplateImage(true);
    return image;
  }
}
