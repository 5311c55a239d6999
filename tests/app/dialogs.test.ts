import { beforeEach, describe, expect, it, vi } from 'vitest';
import { appTranslator } from '../../common/i18n/strings.js';
import { confirmRequest, LISTED_TARGETS } from '../../main/app/confirm-text.js';

vi.mock('electron', () => import('./electron-mock.js'));
const { app, BrowserWindow, dialog } = await import('./electron-mock.js');
const { electronDialogs } = await import('../../main/app/dialogs.js');
const { createPopover } = await import('../../main/app/popover.js');

const t = appTranslator('en');
const target = (pid: number) => ({ pid, kind: 'test', cpu: 1.5, memRss: 1048576 * 30, command: `python3 -m pytest tests/test_${pid}.py` });

beforeEach(() => {
  app.calls = [];
  dialog.calls = [];
  dialog.parents = [];
  BrowserWindow.all = [];
});

describe('confirmations are sheets of the popover (issue 11, point 10)', () => {
  it('a confirmation attaches to the popover window, shown first when it was hidden (a tray-menu action)', async () => {
    const popover = createPopover({ preload: '/p.cjs', index: '/i.html', trayBounds: () => ({ x: 1000, y: 0, width: 22, height: 24 }), quitting: () => false, mac: false });
    const win = BrowserWindow.all.at(-1)!;
    dialog.response = 1;
    expect(await electronDialogs(popover).confirm(confirmRequest('stop', [target(10)], t))).toBe(true);
    // With a parent window the box is a window-modal sheet: the main process keeps running
    expect(dialog.parents).toEqual([win]);
    expect(win.visible).toBe(true);
    expect(app.calls).not.toContain('focus');
    await electronDialogs(popover).pickFolder('Choose');
    expect(dialog.parents).toEqual([win, win]);
  });

  it('with no popover window left, the box is app-modal and the app is brought forward', async () => {
    const host = { holdOpen: <T>(show: () => Promise<T>) => show(), sheetParent: () => undefined };
    dialog.response = 0;
    expect(await electronDialogs(host).confirm(confirmRequest('kill-all', [target(10)], t))).toBe(false);
    expect(dialog.parents).toEqual([undefined]);
    expect(app.calls).toEqual(['focus']);
  });
});

describe('a confirmation lists at most 10 processes', () => {
  it('22 leftovers: 10 listed, then "…and 12 more"; all 22 are still the targets', () => {
    const targets = Array.from({ length: 22 }, (_, i) => target(100 + i));
    const request = confirmRequest('cleanup', targets, t, { minutes: 30, timeout: 5 });
    expect(LISTED_TARGETS).toBe(10);
    expect(request.detail.match(/^PID \d+: /gm)).toHaveLength(10);
    expect(request.detail).toContain('PID 109: 1.5% CPU, 30.0MB RAM (test)\n    python3 -m pytest tests/test_109.py\n…and 12 more');
    expect(request.detail).not.toContain('PID 110');
    expect(request.targets.map((p) => p.pid)).toEqual(targets.map((p) => p.pid));
    expect(confirmRequest('cleanup', targets, appTranslator('fr')).detail).toMatch(/…et 12 de plus$/);
  });

  it('10 or fewer: every one, no count', () => {
    const request = confirmRequest('kill-all', Array.from({ length: 10 }, (_, i) => target(i + 1)), t);
    expect(request.detail.match(/^PID \d+: /gm)).toHaveLength(10);
    expect(request.detail).not.toContain('more');
  });
});
