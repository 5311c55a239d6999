import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../main/engine/wait.js';
import { alive, allGone, assertNoForeignRobot, BIN, cli, cliEnv, cliSpawn, LINUX, lockPaths, pidfilePid, readyTree, sandbox } from './helpers.js';

beforeEach(() => assertNoForeignRobot());

describe('start --detach, status, stop', () => {
  it('starts one robot with the lock held, reports it, refuses a second, and stops the whole tree', async () => {
    const { home, project, ready } = sandbox();
    const env = { BBIA_FAKE_READY: ready, BBIA_FAKE_CHILDREN: '3', BBIA_FAKE_SETSID: '1' };
    const started = await cli(home, ['start', 'headless', '--detach'], { cwd: project, env });
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    const { pid, tree } = await readyTree(ready);
    expect(started.stdout).toContain(`PID ${pid}`);
    expect(fs.statSync(lockPaths(home).lock).isDirectory()).toBe(true);
    const pidText = fs.readFileSync(lockPaths(home).pid, 'utf8');
    expect(pidText.split('\n')[0]).toBe(String(pid));
    expect(fs.statSync(lockPaths(home).pid).mode & 0o777).toBe(0o600);

    const status = await cli(home, ['status', '--json']);
    expect(status.code).toBe(0);
    const doc = JSON.parse(status.stdout);
    expect(doc.instance).toMatchObject({ pid, state: 'running', mode: 'headless', command: 'python3 scripts/launch_complete_robot.py --headless' });
    const robot = doc.processes.find((p: { pid: number }) => p.pid === pid);
    expect(robot).toMatchObject({ kind: 'robot', locked: true });
    expect(robot.memRss).toBeGreaterThan(1_000_000);
    expect(typeof robot.cpu).toBe('number');
    // every descendant is listed, whatever its command line, the setsid grandchild too
    const listed = doc.processes.map((p: { pid: number }) => p.pid);
    for (const p of tree) expect(listed).toContain(p);

    const second = await cli(home, ['start', 'headless', '--detach'], { cwd: project, env });
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`PID ${pid}`);

    const refused = await cli(home, ['stop']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect(alive(pid)).toBe(true);

    const stopped = await cli(home, ['stop', '--force']);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('Will stop the running instance');
    expect(await allGone([pid, ...tree], 1000)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
    expect(fs.existsSync(lockPaths(home).pid)).toBe(false);

    const after = await cli(home, ['status', '--json']);
    expect(JSON.parse(after.stdout)).toEqual({ instance: null, processes: [] });
  });

  it('escalates to SIGKILL for a tree that ignores SIGTERM, within the timeout', async () => {
    const { home, project, ready } = sandbox();
    const env = { BBIA_FAKE_READY: ready, BBIA_FAKE_CHILDREN: '2', BBIA_FAKE_GRANDCHILD: '1', BBIA_FAKE_IGNORE_TERM: '1' };
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env })).code).toBe(0);
    const { pid, tree } = await readyTree(ready);
    const stopped = await cli(home, ['stop', '--force', '--timeout', '1']);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/\(\d+ needed SIGKILL/);
    expect(stopped.stdout).not.toContain('(0 needed SIGKILL');
    expect(await allGone([pid, ...tree], 1000)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
  });

  // Linux only: the engine reads another process's environment through /proc/PID/environ (ProcSource.hasEnv); ps cannot on macOS
  it.skipIf(!LINUX)('stops a daemonized descendant too (fork, setsid, fork, the middle gone): the instance mark in its environment finds it [Linux only: /proc/PID/environ]', async () => {
    const { home, project, ready } = sandbox();
    const env = { BBIA_FAKE_READY: ready, BBIA_FAKE_CHILDREN: '2', BBIA_FAKE_DAEMON: '1' };
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env })).code).toBe(0);
    const { pid, tree } = await readyTree(ready);
    const daemon = tree.at(-1)!;
    // No link left to the robot: not its child, not in its group, not in its session
    const stat = fs.readFileSync(`/proc/${daemon}/stat`, 'latin1');
    const [ppid, pgid, sid] = stat.slice(stat.lastIndexOf(')') + 4).split(' ').map(Number);
    expect([pid, ...tree]).not.toContain(ppid);
    expect([pgid, sid]).not.toContain(pid);
    // Typed in a terminal the robot opened: the shell above the stop carries the mark too, and is left alone
    const mark = fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').find((e) => e.startsWith('BBIA_SAFE_INSTANCE='))!;
    expect(mark).toMatch(/^BBIA_SAFE_INSTANCE=\d+:\d+$/);
    const marked = cliEnv(home, { BBIA_SAFE_INSTANCE: mark.slice(mark.indexOf('=') + 1) });
    const stopped = await execa('sh', ['-c', `"${process.execPath}" "${BIN}" stop --force; echo "shell still here: $?"`], { env: marked, extendEnv: false, reject: false, cwd: home });
    expect(stopped.signal).toBeUndefined();
    expect(stopped.stdout).toContain('shell still here: 0');
    expect(await allGone([pid, ...tree], 2000)).toBe(true);
  });
});

describe('foreground start', () => {
  it('holds one lock for its whole run: the same directory and owner, never refreshed nor made anew', async () => {
    const { home, project, ready } = sandbox();
    const sub = cliSpawn(home, ['start', 'headless'], { cwd: project, env: { BBIA_FAKE_READY: ready } });
    let stderr = '';
    sub.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await readyTree(ready);
    expect(await waitFor(() => fs.existsSync(lockPaths(home).pid), 5000)).toBe(true);
    const first = fs.statSync(lockPaths(home).lock);
    const owner = fs.readFileSync(path.join(lockPaths(home).lock, 'owner'), 'utf8');
    // Three tracking ticks (1 s each): the lock stays as it was claimed, nothing touches it behind anyone's back
    const from = Date.now();
    let changed = false;
    await waitFor(() => {
      const now = fs.statSync(lockPaths(home).lock);
      changed ||= now.ino !== first.ino || now.mtimeMs !== first.mtimeMs;
      return Date.now() - from >= 3500;
    }, 5000, 100);
    expect(changed).toBe(false);
    expect(fs.readFileSync(path.join(lockPaths(home).lock, 'owner'), 'utf8')).toBe(owner);
    expect(stderr).not.toContain('compromised');
    expect(stderr).not.toContain('re-creating');
    sub.kill('SIGTERM');
    expect((await sub).exitCode).toBe(143);
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal} stops the whole tree, removes the lock files and exits ${code}`, async () => {
      const { home, project, ready } = sandbox();
      const env = { BBIA_FAKE_READY: ready, BBIA_FAKE_CHILDREN: '2', BBIA_FAKE_SETSID: '1' };
      const sub = cliSpawn(home, ['start', 'headless'], { cwd: project, env });
      const { pid, tree } = await readyTree(ready);
      expect(await waitFor(() => fs.existsSync(lockPaths(home).pid), 5000)).toBe(true);
      expect(pidfilePid(home)).toBe(pid);
      sub.kill(signal);
      const result = await sub;
      expect(result.exitCode).toBe(code);
      expect(await allGone([pid, ...tree], 1000)).toBe(true);
      expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
      expect(fs.existsSync(lockPaths(home).pid)).toBe(false);
    });
  }

  it('ends with exit 0 when `bbia-safe stop` stops it from another terminal, and records no "exited on its own"', async () => {
    const { home, project, ready } = sandbox();
    const sub = cliSpawn(home, ['start', 'headless'], { cwd: project, env: { BBIA_FAKE_READY: ready, BBIA_FAKE_CHILDREN: '1' } });
    const { pid, tree } = await readyTree(ready);
    expect(await waitFor(() => fs.existsSync(lockPaths(home).pid), 5000)).toBe(true);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    const result = await sub;
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toContain('Stopped (');
    expect(await allGone([pid, ...tree], 1000)).toBe(true);
    expect((await cli(home, ['status'])).stdout).not.toContain('Last run');
  });

  it('ends with the robot\'s own exit code when it exits by itself, leaving nothing behind', async () => {
    const { home, project, ready } = sandbox();
    const env = { BBIA_FAKE_READY: ready, BBIA_FAKE_CHILDREN: '1', BBIA_FAKE_EXIT: '7' };
    const result = await cli(home, ['start', 'headless', '--duration', '0.5'], { cwd: project, env });
    const { tree } = await readyTree(ready);
    expect(result.code).toBe(7);
    expect(result.stderr).toContain('exit code 7');
    expect(result.stderr).toContain('robot done');
    expect(await allGone(tree, 1000)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
  });

  it('runs the test mode with the seed\'s flags (--headless --duration 2)', async () => {
    const { home, project } = sandbox();
    const result = await cli(home, ['start', 'test'], { cwd: project });
    expect(result.code).toBe(0);
    const log = fs.readFileSync(`${home}/.bbia-safe/logs/robot.log`, 'utf8');
    expect(log).toContain('scripts/launch_complete_robot.py --headless --duration 2');
    expect(log).toContain('robot done');
  });

  it('uses the saved project folder and default mode from the settings', async () => {
    const { home, project, ready } = sandbox();
    expect((await cli(home, ['config', 'set', 'projectDir', project])).code).toBe(0);
    expect((await cli(home, ['config', 'set', 'defaultMode', 'headless'])).code).toBe(0);
    const result = await cli(home, ['start', '--duration', '0.2'], { cwd: home, env: { BBIA_FAKE_READY: ready } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`(headless) in ${project}`);
  });
});
