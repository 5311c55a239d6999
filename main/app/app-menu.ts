import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppTranslate } from '../../common/i18n/strings.js';

/** What the application menu needs. */
export interface AppMenuOptions {
  /** The app's name (the first menu's title). */
  name: string;
  /** True in the packaged app: no Reload and no Developer Tools there. */
  packaged: boolean;
  /** Translator. */
  t: AppTranslate;
  /** "Install Command Line Tool…". */
  installCli: () => void;
}

/**
 * The application menu: the app menu (About, Install Command Line Tool…, Services, Hide, Quit) and Edit
 * (so ⌘C, ⌘V and ⌘A work in the popover's fields); Reload and Developer Tools only in development.
 * No File or Window menu: Electron's default one has File ▸ Close ⌘W, which destroyed the popover.
 */
export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const { t } = options;
  const appMenu: MenuItemConstructorOptions = {
    label: options.name,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { label: t('menuInstallCli'), click: () => options.installCli() },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      // Quit goes through app.quit(), so through the quit path (before-quit)
      { role: 'quit' },
    ],
  };
  const develop: MenuItemConstructorOptions = { label: t('menuDevelop'), submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }] };
  return options.packaged ? [appMenu, { role: 'editMenu' }] : [appMenu, { role: 'editMenu' }, develop];
}

/** Sets the application menu (replacing Electron's default one). */
export function installAppMenu(options: AppMenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(options)));
}
