import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from 'playwright/test';
import type { HistoryView } from '../common/contract.js';
import { waitFor } from '../main/engine/wait.js';
import { alive, argv0, openPopover, startHarness, stopHarness, type Harness } from './harness.js';

const DOCS = path.resolve(import.meta.dirname, '..', 'docs');

/** Samples drawn in a sparkline. */
const points = (page: Page, selector: string) => page.locator(selector).first().evaluate((svg) => Number((svg as SVGElement).dataset.points ?? 0));

// Its own harness (own HOME, own robot), so this story never depends on the order of the spec files
test.describe.configure({ mode: 'serial' });

test.describe('history, runaways, leftovers and the log in the popover, against the real engine', () => {
  let started: Awaited<ReturnType<typeof startHarness>>;
  let h: Harness;
  let release: string;
  const pytests: ChildProcess[] = [];
  // Thresholds no busy loop reaches, until a scenario lowers them
  const calm = { cpuPercent: 1000, robotCpuPercent: 1000, sustainSeconds: 1, memoryMB: 100_000 };

  test.beforeAll(async () => {
    started = await startHarness({ BBIA_FAKE_BUSY: '1', BBIA_FAKE_CHILDREN: '2' });
    h = started.harness;
    release = path.join(h.home, 'release-pytest');
    await h.call('settings:set', { projectDir: h.project, pollInterval: 500, leftoverMinutes: 0, runaway: calm });
  });

  test.afterAll(async () => {
    // The lingering pytest runs end on their release file; any that does not is killed (only ours, by handle)
    fs.writeFileSync(release, '');
    if (!(await waitFor(() => pytests.every((p) => !alive(p.pid!)), 10_000))) for (const p of pytests) if (alive(p.pid!)) p.kill('SIGKILL');
    await stopHarness(started);
  });

  test.beforeEach(async ({ page }) => {
    await openPopover(page, h);
    await expect(page.locator('#health')).not.toBeEmpty();
  });

  test('the sparklines draw the history of the robot, its processes and the machine', async ({ page }) => {
    await page.locator('#mode').selectOption('headless');
    await page.locator('#start').click();
    await expect(page.locator('#message')).toContainText('Robot started: PID');
    const robot = Number(fs.readFileSync(path.join(h.home, '.bbia_sim.pid'), 'utf8').split('\n')[0]);
    await expect(page.locator('#popover')).toHaveAttribute('data-health', 'running');
    // Several polls later every sparkline holds samples: the instance, the machine, each process row
    await expect.poll(() => points(page, '#inst-cpu-spark'), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    expect(await points(page, '#inst-ram-spark')).toBeGreaterThanOrEqual(5);
    await expect.poll(() => points(page, '#machine-cpu-spark')).toBeGreaterThanOrEqual(5);
    expect(await points(page, '#machine-ram-spark')).toBeGreaterThanOrEqual(5);
    const row = page.locator(`#processes tbody tr[data-id^="${robot}:"]`);
    await expect.poll(() => points(page, `#processes tbody tr[data-id^="${robot}:"] td.cpu svg`)).toBeGreaterThanOrEqual(3);
    await expect(row.locator('td.cpu svg path.line')).toHaveAttribute('d', /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+/);
    // The busy robot's line sits high on its CPU sparkline (y near the top of a 24-unit box)
    const ys = (await row.locator('td.cpu svg path.line').getAttribute('d'))!.match(/,([\d.]+)/g)!.map((m) => Number(m.slice(1)));
    expect(Math.min(...ys.slice(-3))).toBeLessThan(14);
    await expect(page.locator('#machine-cpu')).toHaveText(/^\d+\.\d %$/);
    // The payload is bounded by what is asked, and a request over the bound is refused
    const small = (await h.call('history:get', { samples: 3 })) as HistoryView;
    expect(small.machine.cpu.length).toBeLessThanOrEqual(3);
    expect(small.processes.every((s) => s.cpu.length <= 3 && s.memMB.length <= 3)).toBe(true);
    await expect(h.call('history:get', { samples: 100_000 })).rejects.toThrow(/invalid request/);
  });

  test('leftovers turn the popover to warning; the cleanup confirmation lists them, and Cancel keeps them', async ({ page }) => {
    for (let i = 0; i < 3; i++) {
      const env = { ...process.env, BBIA_FAKE_RELEASE: release };
      pytests.push(spawn('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_leftover.py'], { cwd: h.project, env, stdio: 'ignore' }));
    }
    const pids = pytests.map((p) => p.pid!).toSorted((a, b) => a - b);
    // Running pytest itself: past the wrapper a python3 may be (pyenv's shim forks helpers before its exec)
    expect(await waitFor(() => pids.every((pid) => /python/.test(path.basename(argv0(pid)))), 10_000)).toBe(true);
    await expect(page.locator('#popover')).toHaveAttribute('data-health', 'warning', { timeout: 15_000 });
    await expect(page.locator('#reasons')).toContainText('3 leftover process(es)');
    await expect(page.locator('#processes tbody tr.leftover')).toHaveCount(3);
    await expect(page.locator('#cleanup')).toBeVisible();
    // The README's picture: a running robot, its sparklines, and the leftovers warning
    await expect.poll(() => points(page, '#inst-cpu-spark')).toBeGreaterThanOrEqual(10);
    await expect.poll(() => points(page, '#processes tbody tr.leftover td.cpu svg'), { timeout: 15_000 }).toBeGreaterThanOrEqual(6);
    await page.locator('#popover').screenshot({ path: path.join(DOCS, 'popover.png') });

    await page.locator('#cleanup').click();
    const shown = await h.nextDialog();
    if (shown.type !== 'confirm') throw new Error(`expected a confirmation, got ${shown.type}`);
    expect(shown.request).toMatchObject({ kind: 'cleanup', title: 'Clean up leftovers', message: 'Stop 3 leftover process(es)?', cancelLabel: 'Cancel', confirmLabel: 'Clean up' });
    expect(shown.request.targets.map((p) => p.pid).toSorted((a, b) => a - b)).toEqual(pids);
    for (const pid of pids) expect(shown.request.detail).toMatch(new RegExp(`PID ${pid}: \\d+\\.\\d% CPU, \\d+\\.\\dMB RAM \\(test\\)\\n {4}.*pytest .*tests/test_leftover\\.py`));
    await h.answer({ confirm: false });
    await expect(page.locator('#message')).toHaveText('Cancelled: nothing was stopped.');
    for (const pid of pids) expect(alive(pid), `PID ${pid}`).toBe(true);
    await expect(page.locator('#processes tbody tr.leftover')).toHaveCount(3);
  });

  test('a real runaway turns the popover to warning, naming the process and how long it has been over', async ({ page }) => {
    await h.call('settings:set', { runaway: { cpuPercent: 30, robotCpuPercent: 30, sustainSeconds: 1, memoryMB: 100_000 } });
    const robot = Number(fs.readFileSync(path.join(h.home, '.bbia_sim.pid'), 'utf8').split('\n')[0]);
    await expect(page.locator('#reasons')).toContainText(new RegExp(`Runaway: PID ${robot} \\(robot\\) at \\d+% CPU for \\d+s \\(threshold 30% for 1 s\\)`), { timeout: 15_000 });
    await expect(page.locator('#popover')).toHaveAttribute('data-health', 'warning');
    await expect(page.locator(`#processes tbody tr.runaway[data-id^="${robot}:"]`)).toHaveCount(1);
    await expect(page.locator('#reasons')).toContainText(/for [2-9]s/, { timeout: 10_000 });
    await page.locator('#popover').screenshot({ path: path.join(DOCS, 'popover-warning.png') });
    await h.call('settings:set', { runaway: calm });
    await expect(page.locator(`#processes tbody tr.runaway`)).toHaveCount(0);
  });

  test('OK at the cleanup confirmation stops the leftovers, and nothing else', async ({ page }) => {
    const robot = Number(fs.readFileSync(path.join(h.home, '.bbia_sim.pid'), 'utf8').split('\n')[0]);
    await page.locator('#cleanup').click();
    const shown = await h.nextDialog();
    if (shown.type !== 'confirm') throw new Error(`expected a confirmation, got ${shown.type}`);
    expect(shown.request.kind).toBe('cleanup');
    // OK only to a list of this story's own pytest runs: another leftover on this machine is never touched
    const listed = shown.request.targets.map((p) => p.pid).toSorted((a, b) => a - b);
    const ours = pytests.map((p) => p.pid!).toSorted((a, b) => a - b);
    await h.answer({ confirm: JSON.stringify(listed) === JSON.stringify(ours) });
    expect(listed).toEqual(ours);
    await expect(page.locator('#message')).toHaveText(/^Cleaned up 3 leftover\(s\) in \d+ ms\.$/);
    for (const p of pytests) expect(alive(p.pid!), `PID ${p.pid}`).toBe(false);
    expect(alive(robot)).toBe(true);
    await expect(page.locator('#popover')).toHaveAttribute('data-health', 'running');
    await expect(page.locator('#banner')).toBeHidden();
  });

  test('the robot log shows its last lines and opens with the system', async ({ page }) => {
    await expect(page.locator('#log-lines')).toContainText(/robot running pid=\d+ mode=headless/);
    await page.locator('#open-log').click();
    await expect(page.locator('#message')).toHaveText('Opened robot.log.');
    expect(await (await fetch(`${h.url}/test/opened`)).json()).toEqual([path.join(h.home, '.bbia-safe', 'logs', 'robot.log')]);
  });

  test('a robot that exits on its own is reported with its exit code and last lines; restarting stays the user’s call', async ({ page }) => {
    await page.locator('#stop').click();
    await h.nextDialog();
    await h.answer({ confirm: true });
    await expect(page.locator('#popover')).toHaveAttribute('data-health', 'idle');
    // Test mode ends by itself after 2 s
    await page.locator('#mode').selectOption('test');
    await page.locator('#start').click();
    await expect(page.locator('#message')).toContainText('Robot started: PID');
    // A test run that exits 0 is a normal end: said as finished, not as an exit on its own
    await expect(page.locator('#exit-note')).toContainText('Finished its run (exit code 0)', { timeout: 15_000 });
    await expect(page.locator('#log-lines')).toContainText('robot done');
    await expect(page.locator('#inst-title')).toHaveText('No robot running');
    // Nothing restarted it: Start waits for the user
    await expect(page.locator('#start')).toBeEnabled();
    expect(fs.existsSync(h.lockFile)).toBe(false);
  });
});
