import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { appTranslator } from '../../common/i18n/strings.js';

vi.mock('electron', () => import('./electron-mock.js'));
const { app, BrowserWindow, Notification } = await import('./electron-mock.js');
const { claimSingleInstance } = await import('../../main/app/lifecycle.js');
const { createPopover } = await import('../../main/app/popover.js');
const { Notifier } = await import('../../main/app/notifications.js');

const tray = { x: 1000, y: 0, width: 22, height: 24 };
const t = appTranslator('en');

beforeEach(() => {
  app.calls = [];
  BrowserWindow.all = [];
  Notification.shown = [];
  Notification.supported = true;
});

describe('opening the app again (issue 11, point 13)', () => {
  it('activate (Finder, Spotlight, open -a) shows the popover, as a second launch does', () => {
    const fake = Object.assign(new EventEmitter(), { requestSingleInstanceLock: () => true, quit: vi.fn() });
    const reopen = vi.fn();
    expect(claimSingleInstance(fake as never, reopen)).toBe(true);
    fake.emit('activate', {}, false);
    fake.emit('second-instance', {}, [], '/');
    expect(reopen).toHaveBeenCalledTimes(2);
  });
});

describe('focus goes back to the previous app when the popover hides (macOS)', () => {
  const open = () => {
    const popover = createPopover({ preload: '/p.cjs', index: '/i.html', trayBounds: () => tray, quitting: () => false, mac: true });
    return { popover, win: BrowserWindow.all.at(-1)! };
  };

  it('hiding by a tray click or on blur hides the app (app.hide), and showing again unhides it', () => {
    const { popover, win } = open();
    popover.toggle(tray);
    popover.toggle(tray);
    expect(win.visible).toBe(false);
    expect(app.calls).toEqual(['hide']);
    popover.show();
    expect(app.calls).toEqual(['hide', 'show']);
    win.emit('blur');
    expect(app.calls).toEqual(['hide', 'show', 'hide']);
  });

  it('not while another window of the app shows (app.hide would hide it too)', () => {
    const { popover, win } = open();
    const other = new BrowserWindow({});
    other.show();
    popover.show();
    win.emit('blur');
    expect(win.visible).toBe(false);
    expect(app.calls).toEqual([]);
  });
});

describe('the notification of a failed action (index.ts report)', () => {
  it('goes through the notifier: shown only when notifications are on, and kept until closed', () => {
    let enabled = false;
    const notifier = new Notifier(() => enabled, t, { show: vi.fn(), stop: vi.fn() });
    notifier.message('Still running: PID 12.');
    expect(Notification.shown).toEqual([]);
    enabled = true;
    notifier.message('Still running: PID 12.');
    expect(Notification.shown.map((n) => [n.options.title, n.options.body])).toEqual([['bbia-safe', 'Still running: PID 12.']]);
    expect(notifier.shown).toBe(1);
    Notification.shown[0]!.emit('close', {});
    expect(notifier.shown).toBe(0);
  });
});

describe('a notification macOS refuses (issue 11, point 4)', () => {
  it('failed lets it go and tells the app, which keeps the alert on the tray and in the popover', () => {
    const failed = vi.fn();
    const notifier = new Notifier(() => true, t, { show: vi.fn(), stop: vi.fn(), failed });
    notifier.exited({ pid: 12, mode: 'headless', exitCode: 3, signal: null, lastLines: ['boom'] } as never);
    expect(notifier.shown).toBe(1);
    Notification.shown[0]!.emit('failed', {}, 'Notifications are not allowed for this application');
    expect(notifier.shown).toBe(0);
    expect(failed).toHaveBeenCalledWith('Notifications are not allowed for this application');
  });
});
