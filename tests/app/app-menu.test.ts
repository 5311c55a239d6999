import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { appTranslator } from '../../common/i18n/strings.js';

vi.mock('electron', () => import('./electron-mock.js'));
const { BrowserWindow, Menu } = await import('./electron-mock.js');
const { installAppMenu } = await import('../../main/app/app-menu.js');
const { installQuitPath } = await import('../../main/app/lifecycle.js');
const { createPopover } = await import('../../main/app/popover.js');

const tray = { x: 1000, y: 0, width: 22, height: 24 };

/** Every item of a menu template, submenus included. */
function items(template: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])]);
}

function popover(quitting = false) {
  const created = createPopover({ preload: '/p.cjs', index: '/i.html', trayBounds: () => tray, quitting: () => quitting, mac: false });
  return { popover: created, win: BrowserWindow.all.at(-1)! };
}

describe('⌘W and the application menu', () => {
  it('a close (⌘W) hides the popover instead of destroying it; the next tray click shows it again', () => {
    const { popover: p, win } = popover();
    p.toggle(tray);
    expect(win.visible).toBe(true);
    win.close();
    expect(win.destroyed).toBe(false);
    expect(win.visible).toBe(false);
    // Before: the window was destroyed and this click threw "Object has been destroyed"
    p.toggle(tray);
    expect(win.visible).toBe(true);
  });

  it('the window closes for real once the app quits', () => {
    const { win } = popover(true);
    win.close();
    expect(win.destroyed).toBe(true);
  });

  it('the quit path says when the quit is for real: only then may the popover close', async () => {
    const fake = Object.assign(new EventEmitter(), { quit: vi.fn(), exit: vi.fn() });
    const appSupervisor = { current: undefined, stop: vi.fn() };
    const quit = installQuitPath({ app: fake as never, appSupervisor, dialogs: {} as never, engine: { settings: { stopTimeout: 1 } } as never, t: appTranslator('en'), log: () => {}, signals: new EventEmitter() as never });
    expect(quit.quitting).toBe(false);
    fake.emit('before-quit', { preventDefault: () => {} });
    await vi.waitFor(() => expect(fake.quit).toHaveBeenCalled());
    expect(quit.quitting).toBe(true);
  });

  it('the packaged menu has the app and Edit menus, no Close, Reload or Developer Tools', () => {
    const installCli = vi.fn();
    installAppMenu({ name: 'bbia-safe', packaged: true, t: appTranslator('en'), installCli });
    const all = items(Menu.applicationMenu!.template as MenuItemConstructorOptions[]);
    const roles = all.map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['about', 'editMenu', 'hide', 'quit']));
    for (const banned of ['close', 'fileMenu', 'windowMenu', 'viewMenu', 'reload', 'forceReload', 'toggleDevTools']) expect(roles).not.toContain(banned);
    expect(all.some((i) => String(i.accelerator ?? '').endsWith('W'))).toBe(false);
    all.find((i) => i.label === 'Install Command Line Tool…')!.click!({} as never, undefined, {} as never);
    expect(installCli).toHaveBeenCalledOnce();
  });

  it('in development the menu adds Reload and Developer Tools', () => {
    installAppMenu({ name: 'bbia-safe', packaged: false, t: appTranslator('fr'), installCli: () => {} });
    const all = items(Menu.applicationMenu!.template as MenuItemConstructorOptions[]);
    expect(all.map((i) => i.role)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    expect(all.map((i) => i.label)).toContain('Installer l’outil en ligne de commande…');
  });
});
