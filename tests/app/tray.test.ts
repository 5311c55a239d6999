import { spawn } from 'node:child_process';
import path from 'node:path';
import { PYTHON } from '../python.js';
import { describe, expect, it, vi } from 'vitest';
import { allGone, assertEveryBbiaProcessOurs, sandbox, track } from '../helpers.js';
import { appRig } from './rig.js';

vi.mock('electron', () => import('./electron-mock.js'));
const { Tray } = await import('./electron-mock.js');
const { AppTray, trayMenuTemplate } = await import('../../main/app/tray.js');
const { popoverPosition } = await import('../../main/app/popover.js');

const noActions = { toggle: vi.fn(), start: vi.fn(), stop: vi.fn(), killAll: vi.fn(), cleanup: vi.fn(), installCli: vi.fn(), quit: vi.fn() };
const imageOf = (tray: InstanceType<typeof Tray>) => path.basename(tray.images.at(-1)!.file);

describe('the tray follows the engine', () => {
  it('idle, then running with a robot, warning with a leftover, idle again', async () => {
    const { home, project } = sandbox();
    // What the tray shows depends on every BBIA process of the user, not only the robot
    await assertEveryBbiaProcessOurs(home, project);
    const rig = appRig(home, project, { settings: { leftoverMinutes: 0 } });
    const tray = new AppTray('/assets', rig.t, noActions);
    const icon = Tray.last!;
    expect(icon.images[0]).toMatchObject({ file: '/assets/trayIdleTemplate.png', template: true });

    tray.update(await rig.state.refresh());
    expect(tray.health).toBe('idle');
    expect(icon.tooltip).toBe('bbia-safe: no robot running');

    const sup = await rig.appSupervisor.start('headless', project);
    track(sup.record.pid);
    const running = await rig.state.refresh();
    tray.update(running);
    // The reasons say which process made it a warning, if one did
    expect(imageOf(icon), JSON.stringify([running.reasons, running.processes.map((p) => `${p.pid} ${p.kind} ${p.command}`)])).toBe('trayRunningTemplate.png');
    expect(icon.tooltip).toBe(`bbia-safe: robot running (PID ${sup.record.pid})`);

    const stray = spawn(PYTHON, [path.join(project, 'scripts', 'websocket_integration.py')], { stdio: 'ignore' });
    track(stray.pid!);
    tray.update(await rig.state.refresh());
    expect(imageOf(icon)).toBe('trayWarningTemplate.png');
    expect(icon.tooltip).toContain('1 leftover process(es)');
    expect(icon.images.every((i) => i.template)).toBe(true);

    stray.kill('SIGKILL');
    expect(await allGone([stray.pid!])).toBe(true);
    tray.update(await rig.state.refresh());
    expect(imageOf(icon)).toBe('trayRunningTemplate.png');

    await rig.appSupervisor.stop('test');
    tray.update(await rig.state.refresh());
    expect(imageOf(icon)).toBe('trayIdleTemplate.png');
    // The image is set only when the state changes
    expect(icon.images.map((i) => path.basename(i.file))).toEqual([
      'trayIdleTemplate.png',
      'trayRunningTemplate.png',
      'trayWarningTemplate.png',
      'trayRunningTemplate.png',
      'trayIdleTemplate.png',
    ]);
  });

  it('the right-click menu enables what the state allows, and always offers Quit', async () => {
    const { home, project } = sandbox();
    await assertEveryBbiaProcessOurs(home, project);
    const rig = appRig(home, project);
    const bounds = () => ({ x: 0, y: 0, width: 22, height: 24 });
    const idle = trayMenuTemplate(await rig.state.refresh(), rig.t, noActions, bounds);
    const enabled = (items: typeof idle) => items.filter((i) => i.label).map((i) => [i.label, i.enabled !== false]);
    expect(enabled(idle)).toEqual([
      ['Open bbia-safe', true],
      ['Start', true],
      ['Stop', false],
      ['Force stop', false],
      ['No leftovers', false],
      ['Clean up leftovers…', false],
      ['Kill all…', false],
      ['Install Command Line Tool…', true],
      ['Quit bbia-safe', true],
    ]);
    idle.at(-1)!.click!({} as never, undefined, {} as never);
    expect(noActions.quit).toHaveBeenCalledOnce();
  });
});

describe('the popover position (menubar trayCenter)', () => {
  const workArea = { x: 0, y: 25, width: 1440, height: 875 };
  it('is centred under the icon, in integers', () => {
    expect(popoverPosition({ x: 1000.5, y: 0, width: 22.3, height: 24 }, { width: 380, height: 440 }, workArea)).toEqual({ x: 822, y: 25 });
  });
  it('stays inside the work area near the screen edge', () => {
    expect(popoverPosition({ x: 1420, y: 0, width: 22, height: 24 }, { width: 380, height: 440 }, workArea)).toEqual({ x: 1060, y: 25 });
  });
});
