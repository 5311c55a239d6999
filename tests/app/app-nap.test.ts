import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../main/engine/engine.js';
import { createPaths } from '../../main/engine/paths.js';
import { DEFAULT_SETTINGS } from '../../main/engine/settings/schema.js';
import { alive, assertNoForeignRobot, sandbox, track } from '../helpers.js';

vi.mock('electron', () => import('./electron-mock.js'));
const { powerSaveBlocker } = await import('./electron-mock.js');
const { AwakeAppSupervisor } = await import('../../main/app/app-nap.js');

/** The app's appSupervisor on a temp HOME, with the fixture project. */
function appSupervisor() {
  assertNoForeignRobot();
  const { home, project } = sandbox();
  const engine = createEngine({ paths: createPaths({ home }), settings: { ...structuredClone(DEFAULT_SETTINGS), projectDir: project, stopTimeout: 2 } });
  const ended: unknown[] = [];
  return { h: new AwakeAppSupervisor(engine, (end) => ended.push(end)), project, ended };
}

const blockers = () => [...powerSaveBlocker.active.values()];
beforeEach(() => powerSaveBlocker.active.clear());

describe('App Nap is held off only while the app supervises a robot (issue 11, point 9)', () => {
  it('prevent-app-suspension from the start until the stop, nothing before or after', async () => {
    const { h, project } = appSupervisor();
    expect(blockers()).toEqual([]);
    const sup = await h.start('headless', project);
    track(sup.record.pid);
    expect(blockers()).toEqual(['prevent-app-suspension']);
    expect(h.guard.held).toBe(true);
    await h.stop('test');
    await sup.done;
    expect(alive(sup.record.pid)).toBe(false);
    // Released in the same turn as the end: the Mac may idle-sleep again
    await Promise.resolve();
    expect(blockers()).toEqual([]);
  });

  it('released when the robot exits on its own', async () => {
    const { h, project, ended } = appSupervisor();
    const sup = await h.start('test', project);
    track(sup.record.pid);
    expect(blockers()).toEqual(['prevent-app-suspension']);
    await sup.done;
    await Promise.resolve();
    expect(ended).toHaveLength(1);
    expect(blockers()).toEqual([]);
  });

  it('never held when the start is refused', async () => {
    const { h } = appSupervisor();
    await expect(h.start('headless', '/nonexistent-bbia-project')).rejects.toThrow();
    expect(blockers()).toEqual([]);
  });
});
