import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from 'playwright/test';
import { findElectron } from './electron-binary.js';
import { expectedApi } from './expected-api.js';

const found = findElectron();
// The macOS job sets BBIA_REQUIRE_ELECTRON: there, no Electron is a failure, never a skip
if ('reason' in found && process.env.BBIA_REQUIRE_ELECTRON) throw new Error(`BBIA_REQUIRE_ELECTRON is set but ${found.reason}`);
// Say why in the run's output too, not only in the report's annotations
if ('reason' in found) console.log(`[electron] skipped: ${found.reason}`);

test.describe('the Electron app', () => {
  test.skip('reason' in found, 'reason' in found ? found.reason : '');

  test('starts hidden, sandboxed, with the typed api and one popover', async () => {
    if ('reason' in found) return;
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bbia-electron-'));
    const app = await electron.launch({ executablePath: found.executablePath, args: found.args, env: { ...process.env, HOME: home, LANG: 'en_US.UTF-8' } as Record<string, string> });
    try {
      // One popover, hidden until the tray is clicked, on every Space; no Dock icon
      const info = await app.evaluate(({ app: a, BrowserWindow }) => {
        const windows = BrowserWindow.getAllWindows();
        const w = windows[0];
        return { count: windows.length, visible: w?.isVisible(), dock: a.dock?.isVisible() ?? false, onAllSpaces: w?.isVisibleOnAllWorkspaces() };
      });
      expect(info).toEqual({ count: 1, visible: false, dock: false, onAllSpaces: true });
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.show());
      const page = await app.firstWindow();
      await expect(page.locator('#health')).toHaveText('Idle');
      // No Node in the renderer: only the preload's small api
      const surface = await page.evaluate(() => ({ require: typeof (globalThis as { require?: unknown }).require, process: typeof (globalThis as { process?: unknown }).process, api: Object.keys(window.bbia).sort() }));
      expect(surface).toEqual({ require: 'undefined', process: 'undefined', api: expectedApi() });
      // Navigation is denied
      await page.evaluate(() => (location.href = 'https://example.com'));
      await expect(page.locator('#health')).toHaveText('Idle');
      // Quit through the quit path: nothing runs, so it quits without asking
      await app.evaluate(({ app: a }) => a.quit());
      await app.waitForEvent('close');
      expect(fs.existsSync(path.join(home, '.bbia_sim.lock'))).toBe(false);
    } finally {
      await app.close().catch(() => {});
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
