import fs from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { assertNoForeignRobot, cli, lockPaths, pidfilePid, sandbox } from './helpers.js';
import { useModelLauncher } from './support/model-launcher.js';

beforeEach(() => assertNoForeignRobot());

/** Every lock file of a home is gone. */
function noLockFiles(home: string): boolean {
  const { lock, pid } = lockPaths(home);
  return !fs.existsSync(lock) && !fs.existsSync(pid);
}

describe('start --detach answers only once the robot has settled', () => {
  it('a robot that logs its error and dies at once (upstream without --model) makes it exit 1 with the code and the last lines, and leaves no lock file', async () => {
    const { home, project } = sandbox();
    useModelLauncher(project);
    const r = await cli(home, ['start', 'headless', '--detach'], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('Robot started');
    expect(r.stderr).toMatch(/Error: the robot ended right after it started \(exit code 1\); last lines of its log:\n {2}\| ERROR - Modele non trouve/);
    expect(r.stderr).toMatch(/\n {2}-> read the whole log: bbia-safe logs/);
    expect(noLockFiles(home)).toBe(true);
  });

  it('a robot that dies without a word within its first second is reported too', async () => {
    const { home, project } = sandbox();
    useModelLauncher(project);
    const r = await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { MODEL_LAUNCHER_SILENT_EXIT: '7' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('(exit code 7)');
    expect(noLockFiles(home)).toBe(true);
  });

  it('a robot that lives through its settle time is started: exit 0, the lock held, then the detached supervisor or Node supervises it', async () => {
    const { home, project } = sandbox();
    useModelLauncher(project);
    const r = await cli(home, ['start', 'headless', '--detach', '--', '--model', 'reachy_mini.xml'], { cwd: project, env: { MODEL_LAUNCHER_SAY: 'hello' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Robot started');
    const pid = pidfilePid(home);
    const sup = fs.readFileSync(`${home}/.bbia-safe/logs/supervisor.log`, 'utf8');
    expect(sup.indexOf(`robot PID ${pid} settled`)).toBeGreaterThan(sup.indexOf(`robot PID ${pid} started`));
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    expect(noLockFiles(home)).toBe(true);
  });

  it('a timed run that ends well within the settle time is a normal end: exit 0, said as finished', async () => {
    const { home, project } = sandbox();
    useModelLauncher(project);
    const r = await cli(home, ['start', 'headless', '--duration', '0.1', '--detach', '--', '--model', 'reachy_mini.xml'], { cwd: project });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The robot finished its headless run (exit code 0).');
    expect(r.stderr).toBe('');
    expect(noLockFiles(home)).toBe(true);
  });

  it('a foreground start that fails the same way reports the exit code and the last lines', async () => {
    const { home, project } = sandbox();
    useModelLauncher(project);
    const r = await cli(home, ['start', 'headless'], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/The robot exited on its own \(exit code 1\)\. Last lines of its log:\n {2}\| ERROR - Modele non trouve/);
    expect(noLockFiles(home)).toBe(true);
  });
});
