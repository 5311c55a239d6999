import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { waitFor } from '../../main/engine/wait.js';
import path from 'node:path';
import { PYTHON } from '../python.js';
import { describe, expect, it } from 'vitest';
import { alive, allGone, assertNoForeignRobot, lockPaths, pidfilePid, readNow, sandbox, track } from '../helpers.js';
import { appRig } from './rig.js';

describe('the handler table against the real engine', () => {
  it('Cancel stops nothing; Stop then stops the whole tree and releases the lock', async () => {
    assertNoForeignRobot();
    const { home, project } = sandbox();
    const rig = appRig(home, project);
    expect(await rig.table['robot:start']({ mode: 'headless' })).toMatchObject({ ok: true });
    const pid = pidfilePid(home);
    expect(await rig.state.refresh()).toMatchObject({ health: 'running', instance: { pid, ownedByApp: true, state: 'running' } });
    // The robot has printed its first line: past its exec (the interpreter's shim may exec more than once),
    // so the confirmation below shows its command line, not the empty one of a process mid-exec
    const log = path.join(home, '.bbia-safe', 'logs', 'robot.log');
    expect(await waitFor(() => fs.readFileSync(log, 'utf8').includes('robot running'), 10_000)).toBe(true);

    rig.dialogs.answer = false;
    expect(await rig.table['robot:stop']({ force: false })).toEqual({ ok: false, cancelled: true, message: 'Cancelled: nothing was stopped.' });
    expect(rig.dialogs.asked[0]).toMatchObject({ kind: 'stop', cancelLabel: 'Cancel', targets: expect.arrayContaining([expect.objectContaining({ pid })]) });
    expect(rig.dialogs.asked[0]!.detail).toMatch(new RegExp(`PID ${pid}: \\d+\\.\\d% CPU, \\d+\\.\\dMB RAM \\(robot\\)\\n    .*launch_complete_robot\\.py --headless`));
    expect(alive(pid)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(true);

    rig.dialogs.answer = true;
    expect(await rig.table['robot:stop']({ force: false })).toMatchObject({ ok: true, message: expect.stringMatching(/^Stopped \d+ process\(es\) in \d+ ms; lock released\.$/) });
    expect(alive(pid)).toBe(false);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
    expect(fs.existsSync(lockPaths(home).pid)).toBe(false);
    expect(await rig.state.refresh()).toMatchObject({ health: 'idle', instance: null });
  });

  it('re-checks identity before signalling a process named by id; a forged id reaches nothing', async () => {
    assertNoForeignRobot();
    const { home, project } = sandbox();
    const rig = appRig(home, project, { settings: { leftoverMinutes: 0 } });
    rig.dialogs.answer = true;
    const stray = spawn(PYTHON, [path.join(project, 'scripts', 'websocket_integration.py')], { stdio: 'ignore' });
    track(stray.pid!);
    // python3 may be a pyenv shim (a shell that execs the interpreter): scan it once it is the interpreter
    const exe = () => readNow(stray.pid!)?.argv[0] ?? '';
    expect(await waitFor(() => /python[\d.]*$/.test(exe()), 5000)).toBe(true);
    const listed = (await rig.state.refresh()).processes.find((p) => p.pid === stray.pid);
    expect(listed).toMatchObject({ kind: 'websocket', locked: false, leftover: true });
    expect((await rig.state.refresh()).health).toBe('warning');

    // A PID the renderer made up, or a real PID with another start time: refused, nothing signalled
    expect(await rig.table['process:stop']({ id: `${stray.pid}:1` })).toMatchObject({ ok: false, message: expect.stringContaining('no longer in the list') });
    expect(alive(stray.pid!)).toBe(true);
    expect(rig.dialogs.asked).toEqual([]);

    expect(await rig.table['process:stop']({ id: listed!.id })).toMatchObject({ ok: true });
    expect(await allGone([stray.pid!])).toBe(true);
    // The same id once the process is gone: refused before any dialog
    rig.dialogs.asked = [];
    expect(await rig.table['process:stop']({ id: listed!.id })).toMatchObject({ ok: false, message: expect.stringContaining('has exited') });
    expect(rig.dialogs.asked).toEqual([]);
  });
});
