import { PYTHON } from './python.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../main/engine/wait.js';
import { BIN, alive, commandOf, scriptArgs, allGone, assertEveryBbiaProcessOurs, assertNoForeignRobot, cli, cliEnv, lockPaths, readyTree, sandbox, tempDir, track } from './helpers.js';

beforeEach(() => assertNoForeignRobot());

function startPytest(cwd: string, env: Record<string, string>) {
  const child = spawn('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_leftover.py'], { cwd, env: { ...process.env, ...env }, stdio: 'ignore' });
  track(child.pid!);
  return child.pid!;
}

const cmdline = (pid: number) => commandOf(pid) ?? '';

describe('kill-all', () => {
  it('kills this user\'s BBIA processes only: the instance, project pytest leftovers, websocket helpers; never another project\'s pytest nor its own ancestors', async () => {
    const { home, project, ready } = sandbox();
    const other = path.join(tempDir(), 'other-project');
    fs.cpSync(path.join(project, 'tests'), path.join(other, 'tests'), { recursive: true });
    const release = path.join(home, 'release');
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready, BBIA_FAKE_CHILDREN: '2' } })).code).toBe(0);
    const { pid: robot, tree } = await readyTree(ready);
    const leftovers = [startPytest(project, { BBIA_FAKE_RELEASE: release }), startPytest(project, { BBIA_FAKE_RELEASE: release })];
    const foreignTest = startPytest(other, { BBIA_FAKE_RELEASE: release });
    const ws = spawn(PYTHON, ['scripts/websocket_integration.py'], { cwd: project, stdio: 'ignore' });
    track(ws.pid!);
    expect(await waitFor(() => [...leftovers, foreignTest].every((p) => cmdline(p).includes('pytest')) && cmdline(ws.pid!).includes('websocket'), 5000)).toBe(true);

    const status = JSON.parse((await cli(home, ['status', '--json'], { cwd: project })).stdout);
    const kinds = new Map<number, string>(status.processes.map((p: { pid: number; kind: string }) => [p.pid, p.kind]));
    expect(kinds.get(robot)).toBe('robot');
    for (const p of leftovers) expect(kinds.get(p)).toBe('test');
    expect(kinds.get(ws.pid!)).toBe('websocket');
    expect(kinds.has(foreignTest)).toBe(false);

    await assertEveryBbiaProcessOurs(home, project);
    // Run through a shell whose own command line matches a BBIA rule: an ancestor, so never a target
    const killer = await execa('bash', ['-c', `"${process.execPath}" "${BIN}" kill-all --force # websocket_integration ancestor`], {
      cwd: project,
      env: cliEnv(home),
      extendEnv: false,
      reject: false,
    });
    expect(killer.exitCode).toBe(0);
    expect(killer.stdout).toContain('Will SIGKILL every BBIA process');
    expect(await allGone([robot, ...tree, ...leftovers, ws.pid!], 1000)).toBe(true);
    expect(alive(foreignTest)).toBe(true);
    expect(await waitFor(() => !fs.existsSync(lockPaths(home).lock) && !fs.existsSync(lockPaths(home).pid), 5000)).toBe(true);
    fs.writeFileSync(release, '');
  });

  it('refuses without a terminal unless --force, and kills nothing', async () => {
    const { home, project } = sandbox();
    const ws = spawn(PYTHON, ['scripts/websocket_integration.py'], { cwd: project, stdio: 'ignore' });
    track(ws.pid!);
    expect(await waitFor(() => cmdline(ws.pid!).includes('websocket'), 5000)).toBe(true);
    // Run from the project folder: the helper is a script of a known project folder only then
    const refused = await cli(home, ['kill-all'], { cwd: project });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect(alive(ws.pid!)).toBe(true);
  });

  it('asks on a terminal and does nothing unless the answer is yes', async () => {
    const { home, project } = sandbox();
    const ws = spawn(PYTHON, ['scripts/websocket_integration.py'], { cwd: project, stdio: 'ignore' });
    track(ws.pid!);
    expect(await waitFor(() => cmdline(ws.pid!).includes('websocket'), 5000)).toBe(true);
    // script(1) gives the CLI a real pseudo-terminal; the answer is typed into it
    const run = (answer: string) =>
      execa('script', scriptArgs([process.execPath, BIN, 'kill-all']), { cwd: project, env: cliEnv(home), extendEnv: false, input: answer, reject: false });
    const no = await run('n\n');
    expect(no.exitCode).toBe(2);
    expect(no.stdout).toContain('[y/N]');
    expect(no.stdout).toContain('Cancelled');
    expect(alive(ws.pid!)).toBe(true);
    await assertEveryBbiaProcessOurs(home, project);
    const yes = await run('y\n');
    expect(yes.exitCode).toBe(0);
    expect(await allGone([ws.pid!], 1000)).toBe(true);
  });
});
