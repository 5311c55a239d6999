import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { waitFor } from '../../main/engine/wait.js';
import { alive, assertNoForeignRobot, lockPaths, sandbox, track } from '../helpers.js';
import { appRig } from './rig.js';

vi.mock('electron', () => import('./electron-mock.js'));
const { installQuitPath } = await import('../../main/app/lifecycle.js');

/** An app stand-in: records whether the robot and the lock were still there when quit() was called. */
function fakeApp(home: string, pid: () => number) {
  const app = new EventEmitter() as EventEmitter & { quit: ReturnType<typeof vi.fn>; exit: ReturnType<typeof vi.fn>; atQuit?: { robot: boolean; lock: boolean } };
  app.quit = vi.fn(() => {
    app.atQuit ??= { robot: alive(pid()), lock: fs.existsSync(lockPaths(home).lock) };
  });
  app.exit = vi.fn();
  return app;
}

/** Emits before-quit as Electron does, returning whether the quit was prevented. */
function beforeQuit(app: EventEmitter): boolean {
  let prevented = false;
  app.emit('before-quit', { preventDefault: () => (prevented = true) });
  return prevented;
}

async function startRobot() {
  assertNoForeignRobot();
  const { home, project } = sandbox();
  const rig = appRig(home, project);
  const sup = await rig.appSupervisor.start('headless', project);
  track(sup.record.pid);
  return { home, rig, pid: sup.record.pid };
}

describe('the quit path', () => {
  it('prevents the quit synchronously, stops the whole tree and releases the lock, then quits', async () => {
    const { home, rig, pid } = await startRobot();
    const app = fakeApp(home, () => pid);
    rig.dialogs.answer = true;
    installQuitPath({ app: app as never, appSupervisor: rig.appSupervisor, dialogs: rig.dialogs, engine: rig.engine, t: rig.t, log: () => {}, signals: new EventEmitter() as never });
    expect(beforeQuit(app)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    expect(await waitFor(() => app.quit.mock.calls.length > 0, 15_000)).toBe(true);
    // quit() came only once the robot was gone and the lock released
    expect(app.atQuit).toEqual({ robot: false, lock: false });
    expect(rig.dialogs.asked.map((r) => [r.kind, r.targets[0]?.pid])).toEqual([['quit', pid]]);
    expect(fs.existsSync(lockPaths(home).pid)).toBe(false);
    // The second before-quit (from that quit()) goes through
    expect(beforeQuit(app)).toBe(false);
  });

  it('Cancel at the quit question stops nothing and does not quit', async () => {
    const { home, rig, pid } = await startRobot();
    const app = fakeApp(home, () => pid);
    rig.dialogs.answer = false;
    installQuitPath({ app: app as never, appSupervisor: rig.appSupervisor, dialogs: rig.dialogs, engine: rig.engine, t: rig.t, log: () => {}, signals: new EventEmitter() as never });
    expect(beforeQuit(app)).toBe(true);
    expect(await waitFor(() => rig.dialogs.asked.length === 1, 5000)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.quit).not.toHaveBeenCalled();
    expect(alive(pid)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(true);
    await rig.appSupervisor.stop('test cleanup');
    expect(alive(pid)).toBe(false);
  });

  it('SIGTERM takes the same path without asking', async () => {
    const { home, rig, pid } = await startRobot();
    const app = fakeApp(home, () => pid);
    const signals = new EventEmitter();
    installQuitPath({ app: app as never, appSupervisor: rig.appSupervisor, dialogs: rig.dialogs, engine: rig.engine, t: rig.t, log: () => {}, signals: signals as never });
    signals.emit('SIGTERM');
    expect(await waitFor(() => app.quit.mock.calls.length > 0, 15_000)).toBe(true);
    expect(app.atQuit).toEqual({ robot: false, lock: false });
    expect(rig.dialogs.asked).toEqual([]);
    expect(app.exit).not.toHaveBeenCalled();
    expect(beforeQuit(app)).toBe(false);
  });
});
