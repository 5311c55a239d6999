import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'playwright/test';
import { waitFor } from '../main/engine/wait.js';
import { alive, openPopover, startHarness, stopHarness, type Harness } from './harness.js';

// Its own harness (own HOME, own robot), so this story never depends on the order of the spec files
test.describe.configure({ mode: 'serial' });

test.describe('the robot arguments field of the popover, against the real engine', () => {
  let started: Awaited<ReturnType<typeof startHarness>>;
  let h: Harness;

  test.beforeAll(async () => {
    started = await startHarness({});
    h = started.harness;
    await h.call('settings:set', { projectDir: h.project });
  });

  test.afterAll(async () => {
    await stopHarness(started);
  });

  test('a shell-like line is saved as the robotArgs list, one that does not parse is refused, and Start gives them to the launcher', async ({ page }) => {
    await openPopover(page, h);
    await page.locator('#open-settings').click();
    const field = page.locator('#s-robotArgs');
    await field.fill("--model 'my robot.xml'");
    await field.press('Tab');
    await expect(page.locator('#message')).toHaveText('Settings saved.');
    expect(await h.call('settings:get', null)).toMatchObject({ robotArgs: ['--model', 'my robot.xml'] });
    await expect(field).toHaveValue("--model 'my robot.xml'");

    await field.fill('--model "open');
    await field.press('Tab');
    await expect(page.locator('#message')).toHaveText('robotArgs: a " quote is not closed');
    expect(await h.call('settings:get', null)).toMatchObject({ robotArgs: ['--model', 'my robot.xml'] });

    await page.locator('#close-settings').click();
    await page.locator('#mode').selectOption('test');
    await page.locator('#start').click();
    await expect(page.locator('#message')).toContainText('Robot started: PID');
    const pid = Number(fs.readFileSync(path.join(h.home, '.bbia_sim.pid'), 'utf8').split('\n')[0]);
    const log = path.join(h.home, '.bbia-safe', 'logs', 'robot.log');
    expect(fs.readFileSync(log, 'utf8')).toContain('launch_complete_robot.py --headless --duration 2 --model my robot.xml');
    // The test run ends on its own, normally: said as a finished run, not as a failure
    expect(await waitFor(() => !alive(pid), 15_000)).toBe(true);
    await expect(page.locator('#exit-note')).toContainText('Finished its run (exit code 0)');
  });
});
