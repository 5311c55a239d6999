import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MonitorState } from '../../main/engine/monitor/monitor.js';
import { waitFor } from '../../main/engine/wait.js';
import type { AppState } from '../../common/contract.js';
import { alive, allGone, assertNoForeignRobot, commandOf, readNow, sandbox, track } from '../helpers.js';
import { appRig } from './rig.js';

vi.mock('electron', () => import('./electron-mock.js'));
const { Notification, Tray, app } = await import('./electron-mock.js');
const { Notifier } = await import('../../main/app/notifications.js');
const { AppTray, trayMenuTemplate } = await import('../../main/app/tray.js');
const { applyLoginItem } = await import('../../main/app/login-item.js');

/** The app's poll loop over a rig: one monitor tick per interval, the last state kept for `waitFor`. */
function pollLoop(rig: ReturnType<typeof appRig>, everyMs: number) {
  const loop = { latest: undefined as AppState | undefined, polls: 0, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    void rig.state.poll().then((s) => {
      loop.latest = s;
      loop.polls++;
    });
  }, everyMs);
  return loop;
}

/** Notifications shown with this title. */
const shownTitled = (title: string) => Notification.shown.filter((n) => n.options.title === title);

afterEach(() => {
  vi.unstubAllEnvs();
  Notification.shown = [];
  Notification.supported = false;
});

describe('runaways in the app', () => {
  it('a real busy loop turns the health to warning, naming it and how long; one notification per episode, Stop asks first', async () => {
    assertNoForeignRobot();
    Notification.supported = true;
    const { home, project } = sandbox();
    // The busy robot is judged against the robot's own threshold (runaway.ts): both are set here
    const calm = { cpuPercent: 1000, robotCpuPercent: 1000, sustainSeconds: 1, memoryMB: 100_000 };
    const hot = { cpuPercent: 40, robotCpuPercent: 40, sustainSeconds: 1, memoryMB: 100_000 };
    const actions = { show: vi.fn(), stop: vi.fn() };
    let notifier: InstanceType<typeof Notifier> | undefined;
    const rig = appRig(home, project, { settings: { runaway: hot, pollInterval: 250 }, onPoll: (m: MonitorState) => notifier?.runaways(m.startedRunaways, m.at) });
    notifier = new Notifier(() => rig.engine.settings.notifications, rig.t, actions);
    // The fake robot spins a core (the supervisor's child inherits this environment)
    vi.stubEnv('BBIA_FAKE_BUSY', '1');
    const sup = await rig.appSupervisor.start('headless', project);
    track(sup.record.pid);
    const pid = sup.record.pid;
    const loop = pollLoop(rig, 250);
    try {
      expect(await waitFor(() => loop.latest?.health === 'warning', 15_000)).toBe(true);
      const reasons = loop.latest!.reasons;
      expect(reasons).toEqual([expect.stringMatching(new RegExp(`^Runaway: PID ${pid} \\(robot\\) at \\d+% CPU for \\d+s \\(threshold 40% for 1 s\\)\\.$`))]);
      expect(loop.latest!.processes.find((p) => p.pid === pid)).toMatchObject({ runaway: 'cpu', locked: true });
      // The tray turns to its warning image
      const tray = new AppTray('/assets', rig.t, { toggle: vi.fn(), start: vi.fn(), stop: vi.fn(), killAll: vi.fn(), cleanup: vi.fn(), quit: vi.fn() });
      tray.update(loop.latest!);
      expect(path.basename(Tray.last!.images.at(-1)!.file)).toBe('trayWarningTemplate.png');

      // Still over the threshold polls later: still one notification
      const polls = loop.polls;
      expect(await waitFor(() => loop.polls >= polls + 6, 10_000)).toBe(true);
      expect(loop.latest!.health).toBe('warning');
      expect(shownTitled('Runaway BBIA process')).toHaveLength(1);
      const [n] = shownTitled('Runaway BBIA process');
      expect(n!.options.body).toMatch(new RegExp(`^PID ${pid} \\(robot\\) has used \\d+% CPU for \\d+s\\.$`));
      expect(n!.options.actions).toEqual([{ type: 'button', text: 'Stop…' }, { type: 'button', text: 'Show' }]);
      // Show opens the popover; Stop goes through the normal stop, which asks (Cancel keeps the robot)
      n!.emit('action', { actionIndex: 1 }, 1);
      expect(actions.show).toHaveBeenCalledOnce();
      n!.emit('action', { actionIndex: 0 }, 0);
      expect(actions.stop).toHaveBeenCalledWith(expect.objectContaining({ key: expect.stringMatching(new RegExp(`^${pid}:`)), reason: 'cpu' }));
      rig.dialogs.answer = false;
      expect(await rig.table['robot:stop']({ force: false })).toMatchObject({ cancelled: true });
      expect(rig.dialogs.asked.map((r) => r.kind)).toEqual(['stop']);
      expect(alive(pid)).toBe(true);

      // The episode ends under calm thresholds; a new one raises a new notification, unless notifications are off
      rig.engine.settings.runaway = calm;
      expect(await waitFor(() => loop.latest?.health === 'running', 10_000)).toBe(true);
      rig.engine.settings.runaway = hot;
      expect(await waitFor(() => shownTitled('Runaway BBIA process').length === 2, 10_000)).toBe(true);
      rig.engine.settings.notifications = false;
      rig.engine.settings.runaway = calm;
      expect(await waitFor(() => loop.latest?.health === 'running', 10_000)).toBe(true);
      rig.engine.settings.runaway = hot;
      expect(await waitFor(() => loop.latest?.health === 'warning', 10_000)).toBe(true);
      const after = loop.polls;
      expect(await waitFor(() => loop.polls >= after + 3, 10_000)).toBe(true);
      expect(shownTitled('Runaway BBIA process')).toHaveLength(2);

      // The history the popover draws: bounded by what it asks, and it has the busy loop in it
      const history = rig.state.history(4);
      expect(history.machine.cpu.length).toBeLessThanOrEqual(4);
      const robotSeries = history.processes.find((s) => s.id.startsWith(`${pid}:`))!;
      expect(robotSeries.cpu.length).toBeLessThanOrEqual(4);
      expect(Math.max(...robotSeries.cpu.filter((v): v is number => v !== null))).toBeGreaterThan(40);
      expect(history.instance?.cpu.length).toBe(robotSeries.cpu.length);
    } finally {
      loop.stop();
      await rig.appSupervisor.stop('test cleanup');
    }
    expect(alive(pid)).toBe(false);
  });

  it('a robot that exits on its own raises one notification with its exit code and last line; a stop on request raises none', async () => {
    assertNoForeignRobot();
    Notification.supported = true;
    const { home, project } = sandbox();
    const actions = { show: vi.fn(), stop: vi.fn() };
    let notifier: InstanceType<typeof Notifier> | undefined;
    let ended = 0;
    const rig = appRig(home, project, { onEnded: (end) => (notifier?.exited(end), ended++) });
    notifier = new Notifier(() => rig.engine.settings.notifications, rig.t, actions);
    vi.stubEnv('BBIA_FAKE_EXIT', '3');
    const sup = await rig.appSupervisor.start('test', project);
    track(sup.record.pid);
    expect(await waitFor(() => ended === 1, 15_000)).toBe(true);
    const exited = shownTitled('The robot stopped');
    expect(exited).toHaveLength(1);
    expect(exited[0]!.options.body).toBe('It exited on its own (exit code 3); what it left behind was stopped.\nLast line: robot done');
    // The popover reports it too, and nothing restarted it
    const state = await rig.state.refresh();
    expect(state).toMatchObject({ instance: null, lastExit: { pid: sup.record.pid, exitCode: 3, signal: null }, logExists: true });
    expect(state.lastExit!.lastLines.at(-1)).toBe('robot done');
    expect(rig.appSupervisor.current).toBeUndefined();

    const again = await rig.appSupervisor.start('headless', project);
    track(again.record.pid);
    await rig.appSupervisor.stop('stop');
    expect(ended).toBe(2);
    expect(shownTitled('The robot stopped')).toHaveLength(1);
  });
});

describe('leftovers in the app', () => {
  let pytests: ChildProcess[] = [];
  afterEach(async () => {
    for (const p of pytests) if (alive(p.pid!)) p.kill('SIGKILL');
    await allGone(pytests.map((p) => p.pid!));
    pytests = [];
  });

  it('real lingering pytest runs are leftovers: warning, counted on the tray menu; Cancel at the cleanup stops nothing, OK stops only them', async () => {
    assertNoForeignRobot();
    const { home, project } = sandbox();
    const rig = appRig(home, project, { settings: { leftoverMinutes: 0 } });
    const sup = await rig.appSupervisor.start('headless', project);
    track(sup.record.pid);
    const env = { ...process.env, BBIA_FAKE_RELEASE: path.join(home, 'release') };
    for (let i = 0; i < 2; i++) pytests.push(spawn('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_leftover.py'], { cwd: project, env, stdio: 'ignore' }));
    const pids = pytests.map((p) => p.pid!);
    track(...pids);
    // Running pytest itself: past the wrapper a python3 may be (pyenv's shim forks helpers before its exec)
    const exe = (pid: number) => readNow(pid)?.argv[0] ?? '';
    const cmd = (pid: number) => commandOf(pid) ?? '';
    expect(await waitFor(() => pids.every((p) => /python/.test(path.basename(exe(p))) && cmd(p).includes('pytest')), 10_000)).toBe(true);
    // Leftovers are machine-wide: wait until they are exactly these runs, past the forks of a python3
    // wrapper such as pyenv's shim, and past any other test's helper still ending (this test never signals it)
    const planned = () => rig.engine.planCleanup().map((p) => p.pid).toSorted();
    expect(await waitFor(() => JSON.stringify(planned()) === JSON.stringify([...pids].toSorted()), 15_000), `leftovers: ${JSON.stringify(rig.engine.planCleanup().map((p) => p.command))}`).toBe(true);

    const state = await rig.state.refresh();
    expect(state.health).toBe('warning');
    expect(state.reasons).toEqual(['2 leftover process(es): tests, websocket helpers or viewers left outside the robot.']);
    expect(state.processes.filter((p) => p.leftover).map((p) => p.pid).toSorted()).toEqual([...pids].toSorted());
    const menu = trayMenuTemplate(state, rig.t, { toggle: vi.fn(), start: vi.fn(), stop: vi.fn(), killAll: vi.fn(), cleanup: vi.fn(), quit: vi.fn() }, () => ({ x: 0, y: 0, width: 22, height: 24 }));
    expect(menu.filter((i) => i.label?.includes('eftover')).map((i) => [i.label, i.enabled])).toEqual([
      ['Leftovers: 2', false],
      ['Clean up leftovers…', true],
    ]);

    rig.dialogs.answer = false;
    expect(await rig.table['leftovers:cleanup'](null)).toEqual({ ok: false, cancelled: true, message: 'Cancelled: nothing was stopped.' });
    const [asked] = rig.dialogs.asked;
    expect(asked).toMatchObject({ kind: 'cleanup', title: 'Clean up leftovers', message: 'Stop 2 leftover process(es)?', confirmLabel: 'Clean up', cancelLabel: 'Cancel' });
    expect(asked!.targets.map((p) => p.pid).toSorted()).toEqual([...pids].toSorted());
    for (const pid of pids) expect(asked!.detail).toMatch(new RegExp(`PID ${pid}: \\d+\\.\\d% CPU, \\d+\\.\\dMB RAM \\(test\\)\\n {4}.*-m pytest -q -p no:cacheprovider tests/test_leftover\\.py`));
    for (const pid of pids) expect(alive(pid)).toBe(true);

    // OK, but only to a list of this test's own processes: another leftover on this machine is never touched
    rig.dialogs.answer = true;
    rig.dialogs.onlyPids = new Set(pids);
    const cleaned = await rig.table['leftovers:cleanup'](null);
    expect(rig.dialogs.asked[1]!.targets.map((p) => p.pid).toSorted(), 'the second confirmation lists only this test\'s pytest runs').toEqual([...pids].toSorted());
    expect(cleaned).toMatchObject({ ok: true, message: expect.stringMatching(/^Cleaned up 2 leftover\(s\) in \d+ ms\.$/) });
    expect(await allGone(pids, 2000)).toBe(true);
    expect(alive(sup.record.pid)).toBe(true);
    expect(await rig.state.refresh()).toMatchObject({ health: 'running', reasons: [] });
    await rig.appSupervisor.stop('test cleanup');
  });
});

describe('the log and launch at login', () => {
  it('Open log opens the robot log through the shell, and says so when there is none yet', async () => {
    const { home, project } = sandbox();
    const rig = appRig(home, project);
    expect(await rig.table['log:open'](null)).toEqual({ ok: false, message: 'There is no robot log yet: start the robot first.' });
    expect(rig.shell.opened).toEqual([]);
    fs.mkdirSync(path.dirname(rig.engine.paths.robotLog), { recursive: true });
    fs.writeFileSync(rig.engine.paths.robotLog, 'one\ntwo\n');
    expect(await rig.table['log:open'](null)).toEqual({ ok: true, message: 'Opened robot.log.' });
    expect(rig.shell.opened).toEqual([path.join(home, '.bbia-safe', 'logs', 'robot.log')]);
    expect(await rig.state.refresh()).toMatchObject({ logLines: ['one', 'two'], logExists: true });
  });

  it('launch at login follows the setting in the packaged app only', () => {
    const { home, project } = sandbox();
    const rig = appRig(home, project, { settings: { launchAtLogin: true } });
    app.loginItems = [];
    applyLoginItem(rig.engine.settings);
    expect(app.loginItems).toEqual([]);
    app.isPackaged = true;
    try {
      applyLoginItem(rig.engine.settings);
      applyLoginItem({ ...rig.engine.settings, launchAtLogin: false });
    } finally {
      app.isPackaged = false;
    }
    expect(app.loginItems).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);
  });
});
