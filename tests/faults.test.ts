import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../main/engine/wait.js';
import { alive, commandOf, allGone, assertEveryBbiaProcessOurs, assertNoForeignRobot, cli, cliSpawn, lockPaths, readyTree, sandbox, track } from './helpers.js';

beforeEach(() => assertNoForeignRobot());

function supervisorPid(home: string): number {
  const record = JSON.parse(fs.readFileSync(lockPaths(home).pid, 'utf8').split('\n')[1]!);
  track(record.supervisorPid);
  return record.supervisorPid;
}

describe('a supervisor killed with SIGKILL', () => {
  it('leaves an orphan that status reports, start refuses, and stop still stops', async () => {
    const { home, project, ready } = sandbox();
    const env = { BBIA_FAKE_READY: ready, BBIA_FAKE_CHILDREN: '1' };
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env })).code).toBe(0);
    const { pid, tree } = await readyTree(ready);
    const sup = supervisorPid(home);
    process.kill(sup, 'SIGKILL');
    expect(await allGone([sup], 5000)).toBe(true);
    expect(alive(pid)).toBe(true);

    const status = JSON.parse((await cli(home, ['status', '--json'])).stdout);
    expect(status.instance).toMatchObject({ pid, state: 'orphaned' });
    const text = await cli(home, ['status']);
    expect(text.stdout).toContain('ORPHANED');

    const refused = await cli(home, ['start', 'headless'], { cwd: project });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`PID ${pid}`);

    const stopped = await cli(home, ['stop', '--force']);
    expect(stopped.code).toBe(0);
    expect(await allGone([pid, ...tree], 1000)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
    expect(fs.existsSync(lockPaths(home).pid)).toBe(false);
  });

  it('leaves a stale lock that the next start takes over once the robot is gone', async () => {
    const { home, project, ready } = sandbox();
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } })).code).toBe(0);
    const { pid } = await readyTree(ready);
    const sup = supervisorPid(home);
    process.kill(sup, 'SIGKILL');
    process.kill(pid, 'SIGKILL');
    expect(await allGone([sup, pid], 5000)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(true);

    fs.rmSync(ready);
    const again = await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } });
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    const second = await readyTree(ready);
    expect(second.pid).not.toBe(pid);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
  });
});

describe('untrusted lock files', () => {
  const corrupt: Record<string, string> = {
    empty: '',
    garbage: 'not a pid\n',
    'PID only (the seed tool)': '12345\n',
    truncated: '12345\n{"v":1,"pid":12345,"startKey":"99',
    'negative PID': '-1\n{}\n',
  };
  for (const [name, text] of Object.entries(corrupt)) {
    it(`a ${name} pidfile is reported, kept aside and never trusted`, async () => {
      const { home, project, ready } = sandbox();
      fs.writeFileSync(lockPaths(home).pid, text);
      const status = await cli(home, ['status', '--json']);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout).instance).toBeNull();
      expect(status.stderr).toContain('is not trusted');

      const stop = await cli(home, ['stop', '--force']);
      expect(stop.code).toBe(0);
      expect(stop.stdout).toContain('No BBIA instance is running');

      const started = await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } });
      expect(started.code).toBe(0);
      await readyTree(ready);
      const aside = fs.readdirSync(home).filter((f) => f.startsWith('.bbia_sim.pid.corrupt-'));
      expect(aside).toHaveLength(1);
      expect(fs.readFileSync(path.join(home, aside[0]!), 'utf8')).toBe(text);
      expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    });
  }

  it('never writes through a symlinked pidfile or lock, and leaves their targets untouched', async () => {
    const { home, project, ready } = sandbox();
    const victim = path.join(home, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    const victimDir = path.join(home, 'victim-dir');
    fs.mkdirSync(victimDir);
    fs.symlinkSync(victim, lockPaths(home).pid);
    fs.symlinkSync(victimDir, lockPaths(home).lock);

    const status = await cli(home, ['status']);
    expect(status.stderr).toContain('symbolic link');
    const started = await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } });
    expect(started.code).toBe(0);
    await readyTree(ready);
    expect(fs.lstatSync(lockPaths(home).pid).isFile()).toBe(true);
    expect(fs.lstatSync(lockPaths(home).lock).isDirectory()).toBe(true);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(fs.existsSync(victimDir)).toBe(true);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('moves a plain-file lock (the seed tool\'s) aside instead of trusting it', async () => {
    const { home, project, ready } = sandbox();
    fs.writeFileSync(lockPaths(home).lock, '4242\n');
    const started = await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } });
    expect(started.code).toBe(0);
    await readyTree(ready);
    const aside = fs.readdirSync(home).filter((f) => f.startsWith('.bbia_sim.lock.corrupt-'));
    expect(aside).toHaveLength(1);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
  });

  it('never signals a PID that now belongs to another process', async () => {
    const { home } = sandbox();
    // A process of ours stands in for "another process" that reused the recorded PID
    const bystander = spawn('sleep', ['300'], { stdio: 'ignore' });
    track(bystander.pid!);
    const record = {
      v: 1, pid: bystander.pid, startKey: '1', startedAt: new Date(0).toISOString(), command: 'python3 scripts/launch_complete_robot.py',
      mode: 'headless', cwd: home, supervisorPid: 999999, supervisorStartKey: '1', logFile: '/dev/null',
    };
    fs.writeFileSync(lockPaths(home).pid, `${bystander.pid}\n${JSON.stringify(record)}\n`);
    fs.mkdirSync(lockPaths(home).lock);
    fs.writeFileSync(path.join(lockPaths(home).lock, 'owner'), '999999 1 deadbeef');
    const stop = await cli(home, ['stop', '--force']);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toContain('now belongs to another process');
    expect(stop.stdout).toContain('Removed stale lock files');
    await assertEveryBbiaProcessOurs(home, home);
    const kill = await cli(home, ['kill-all', '--force']);
    expect(kill.code).toBe(0);
    expect(alive(bystander.pid!)).toBe(true);
    expect(fs.existsSync(lockPaths(home).pid)).toBe(false);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
  });
});

describe('refusals and failures', () => {
  it('refuses to start while a robot started by hand runs (no lock at all), naming its PID', async () => {
    const { home, project } = sandbox();
    const hand = spawn('python3', ['scripts/launch_complete_robot.py', '--headless'], { cwd: project, stdio: 'ignore' });
    track(hand.pid!);
    expect(await waitFor(() => (commandOf(hand.pid!) ?? '').includes('launch_complete_robot'), 5000)).toBe(true);
    const refused = await cli(home, ['start', 'headless'], { cwd: project });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`PID ${hand.pid}`);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
    const stop = await cli(home, ['stop', '--force']);
    expect(stop.stdout).toContain(`not started by bbia-safe runs: PID ${hand.pid}`);
  });

  it('says what to do about a missing project folder, a folder without the script, or no Python, and leaves nothing behind', async () => {
    const { home, project } = sandbox();
    const missing = await cli(home, ['start', '--project', path.join(home, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist\n.*--project/);
    const noScript = await cli(home, ['start', '--project', home]);
    expect(noScript.code).toBe(1);
    expect(noScript.stderr).toContain('has no scripts/launch_complete_robot.py');
    const nowhere = await cli(home, ['start'], { cwd: home });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain('config set projectDir');
    expect((await cli(home, ['config', 'set', 'python', '/nonexistent/python3'])).code).toBe(0);
    const noPython = await cli(home, ['start', 'headless'], { cwd: project });
    expect(noPython.code).toBe(1);
    expect(noPython.stderr).toContain('"/nonexistent/python3" was not found');
    for (const f of Object.values(lockPaths(home))) expect(fs.existsSync(f)).toBe(false);
  });

  it('fails closed when the home folder cannot hold the lock files', async () => {
    const { home, project } = sandbox();
    const fileHome = path.join(home, 'not-a-folder');
    fs.writeFileSync(fileHome, '');
    const result = await cli(fileHome, ['start', 'headless'], { cwd: project });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Error: .*not-a-folder/);
    expect(result.stderr).toContain('writable');
  });

  it('reports the robot that exits at once instead of claiming it runs', async () => {
    const { home, project } = sandbox();
    fs.writeFileSync(path.join(project, 'scripts', 'launch_complete_robot.py'), 'import sys\nprint("boom: no MuJoCo")\nsys.exit(3)\n');
    const result = await cli(home, ['start', 'headless', '--detach'], { cwd: project });
    // It never lives through the settle time: the start fails with its code and its last line, the lock files gone
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\((exit code 3|3)\).*\n(.*\n)*.*boom: no MuJoCo/);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
    expect(fs.existsSync(lockPaths(home).pid)).toBe(false);
  });
});

describe('lock trouble while supervising', () => {
  it('survives a frozen supervisor (SIGSTOP past several ticks) and re-creates a deleted lock with the same owner', async () => {
    const { home, project, ready } = sandbox();
    const sub = cliSpawn(home, ['start', 'headless'], { cwd: project, env: { BBIA_FAKE_READY: ready } });
    const { pid } = await readyTree(ready);
    expect(await waitFor(() => fs.existsSync(lockPaths(home).pid), 5000)).toBe(true);
    const owner = fs.readFileSync(path.join(lockPaths(home).lock, 'owner'), 'utf8');
    // Frozen like a blocked event loop or a sleeping laptop, for 3 tracking ticks
    process.kill(sub.pid!, 'SIGSTOP');
    const frozenAt = Date.now();
    await waitFor(() => Date.now() - frozenAt >= 3000, 4000, 100);
    process.kill(sub.pid!, 'SIGCONT');
    // Someone deletes the lock under it: the supervisor's next tick makes it anew, same owner, and does not die
    fs.rmSync(lockPaths(home).lock, { recursive: true });
    expect(await waitFor(() => fs.existsSync(path.join(lockPaths(home).lock, 'owner')), 5000)).toBe(true);
    expect(fs.readFileSync(path.join(lockPaths(home).lock, 'owner'), 'utf8')).toBe(owner);
    expect(alive(sub.pid!)).toBe(true);
    expect(alive(pid)).toBe(true);
    const status = JSON.parse((await cli(home, ['status', '--json'])).stdout);
    expect(status.instance).toMatchObject({ pid, state: 'running' });
    sub.kill('SIGTERM');
    expect((await sub).exitCode).toBe(143);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
  });
});
