import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../main/engine/wait.js';
import { alive, expect, openPopover, test } from './harness.js';

// The real interpreter behind python3 (a pyenv shim execs it a moment later): the robot's command line is final from the start
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

// One robot, one HOME, one story: the scenarios run in order on the same harness
test.describe.configure({ mode: 'serial' });

test.describe('the popover in Chromium, against the real engine', () => {
  let robotPid = 0;

  test.beforeEach(async ({ page, harness }) => {
    await openPopover(page, harness);
    await expect(page.locator('#health')).not.toBeEmpty();
  });

  test('chooses the project folder with the picker, validated', async ({ page, harness }) => {
    await expect(page.locator('#start')).toBeDisabled();
    await page.locator('#open-settings').click();
    // A folder that is not a BBIA project is refused
    await page.locator('#pick').click();
    expect((await harness.nextDialog()).type).toBe('folder');
    await harness.answer({ folder: harness.home });
    await expect(page.locator('#message')).toContainText('has no scripts/launch_complete_robot.py');
    await page.locator('#pick').click();
    await harness.nextDialog();
    await harness.answer({ folder: harness.project });
    await expect(page.locator('#s-projectDir')).toHaveValue(harness.project);
    // The interpreter a start would run is shown under the setting (issue 11: the resolved interpreter)
    await expect(page.locator('#s-python-resolved')).toContainText(/^Runs \/\S*python[\d.]* \((from PATH|the project's venv)\)/);
    await page.locator('#close-settings').click();
    await expect(page.locator('#start')).toBeEnabled();
  });

  test('starts a robot and shows it with its CPU and RAM', async ({ page, harness }) => {
    await page.locator('#mode').selectOption('headless');
    await page.locator('#start').click();
    await expect(page.locator('#message')).toContainText('Robot started: PID');
    robotPid = Number(fs.readFileSync(path.join(harness.home, '.bbia_sim.pid'), 'utf8').split('\n')[0]);
    expect(alive(robotPid)).toBe(true);
    expect(fs.existsSync(harness.lockFile)).toBe(true);
    await expect(page.locator('#inst-title')).toHaveText('Robot · Headless');
    await expect(page.locator('#inst-meta')).toContainText(`PID ${robotPid}`);
    await expect(page.locator('#popover')).toHaveAttribute('data-health', 'running');
    // The robot and its two helpers, each with its figures; the command is on hover
    const robotRow = page.locator(`#processes tbody tr[data-id^="${robotPid}:"]`);
    await expect(robotRow).toHaveAttribute('title', /launch_complete_robot\.py --headless/);
    // (3 rows, or more where python3 is a wrapper such as a pyenv shim)
    await expect.poll(() => page.locator('#processes tbody tr.locked').count()).toBeGreaterThanOrEqual(3);
    await expect(robotRow.locator('.ram')).toHaveText(/^\d+\.\d MB$/);
    // The busy robot's CPU, measured over an interval, climbs well above zero
    await expect.poll(async () => parseFloat((await page.locator('#inst-cpu').textContent()) ?? '0'), { timeout: 15_000 }).toBeGreaterThan(20);
    await expect(page.locator('#inst-ram')).toHaveText(/^\d+\.\d MB$/);
  });

  test('a cancelled stop stops nothing', async ({ page, harness }) => {
    await page.locator('#stop').click();
    const shown = await harness.nextDialog();
    if (shown.type !== 'confirm') throw new Error(`expected a confirmation, got ${shown.type}`);
    const { request } = shown;
    expect(request.kind).toBe('stop');
    expect(request.cancelLabel).toBe('Cancel');
    expect(request.targets.map((p) => p.pid)).toContain(robotPid);
    // It lists exactly what will be stopped: PID, CPU, RAM and command
    expect(request.detail).toMatch(new RegExp(`PID ${robotPid}: \\d+\\.\\d% CPU, \\d+\\.\\dMB RAM \\(robot\\)`));
    expect(request.detail).toContain('launch_complete_robot.py --headless');
    await harness.answer({ confirm: false });
    await expect(page.locator('#message')).toHaveText('Cancelled: nothing was stopped.');
    expect(alive(robotPid)).toBe(true);
    expect(fs.existsSync(harness.lockFile)).toBe(true);
    await expect(page.locator('#popover')).toHaveAttribute('data-health', 'running');
  });

  test('a second robot, started by hand, is an alarm; its × stops it alone after a confirmation', async ({ page, harness }) => {
    const hand = spawn(PYTHON, ['scripts/launch_complete_robot.py', '--headless'], { cwd: harness.project, stdio: 'ignore' });
    try {
      await expect(page.locator('#reasons')).toContainText(`2 robots are running at once (PID ${robotPid}, ${hand.pid})`);
      await expect(page.locator('#popover')).toHaveAttribute('data-health', 'warning');
      const row = page.locator(`#processes tbody tr[data-id^="${hand.pid}:"]`);
      await expect(row).toHaveAttribute('title', /the robot's launcher .*launch_complete_robot\.py/);
      await row.locator('button.mini').click();
      const shown = await harness.nextDialog();
      expect(shown.type === 'confirm' && shown.request.targets.map((p) => p.pid)).toEqual([hand.pid]);
      await harness.answer({ confirm: true });
      await expect(page.locator('#message')).toContainText('Stopped');
      expect(await waitFor(() => !alive(hand.pid!), 5000)).toBe(true);
      expect(alive(robotPid)).toBe(true);
      await expect(page.locator('#reasons')).not.toContainText('robots are running at once');
    } finally {
      if (hand.pid && alive(hand.pid)) process.kill(hand.pid, 'SIGKILL');
    }
  });

  test('the renderer cannot name a raw PID, and bad payloads are refused', async ({ page }) => {
    const results = await page.evaluate(async (pid) => {
      const post = (channel: string, request: unknown) => fetch(`/ipc/${channel}`, { method: 'POST', body: JSON.stringify({ request }) }).then((r) => r.status);
      return {
        badMode: await post('robot:start', { mode: 'rm -rf' }),
        rawPid: await post('process:stop', { pid }),
        extraKey: await post('robot:stop', { force: false, pid }),
        unknown: await post('shell:exec', null),
        forged: (await window.bbia.stopProcess({ id: `${pid}:0` })).message,
      };
    }, robotPid);
    expect(results).toEqual({ badMode: 400, rawPid: 400, extraKey: 400, unknown: 400, forged: 'That process is no longer in the list; refresh and try again.' });
    expect(alive(robotPid)).toBe(true);
  });

  test('a confirmed stop ends the whole tree and releases the lock', async ({ page, harness }) => {
    const tree = (await page.locator('#processes tbody tr.locked').evaluateAll((rows) => rows.map((r) => Number(r.querySelector('.pid')?.textContent))));
    expect(tree.length).toBeGreaterThanOrEqual(3);
    await page.locator('#stop').click();
    const shown = await harness.nextDialog();
    expect(shown.type === 'confirm' && shown.request.targets.map((p) => p.pid).sort()).toEqual([...tree].sort());
    await harness.answer({ confirm: true });
    await expect(page.locator('#message')).toContainText(new RegExp(`Stopped ${tree.length} process\\(es\\) in \\d+ ms; lock released\\.`));
    expect(fs.existsSync(harness.lockFile)).toBe(false);
    expect(fs.existsSync(path.join(harness.home, '.bbia_sim.pid'))).toBe(false);
    for (const pid of tree) expect(alive(pid), `PID ${pid}`).toBe(false);
    await expect(page.locator('#inst-title')).toHaveText('No robot running');
    await expect(page.locator('#popover')).toHaveAttribute('data-health', 'idle');
    await expect(page.locator('#empty')).toBeVisible();
  });
});
