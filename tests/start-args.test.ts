import fs from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { assertNoForeignRobot, cli, lockPaths, pidfilePid, sandbox } from './helpers.js';
import { loggedArgv, useModelLauncher } from './support/model-launcher.js';

beforeEach(() => assertNoForeignRobot());

describe('the robot\'s own arguments: start -- ARGS and the robotArgs setting', () => {
  it('start test -- --model reachy_mini.xml gives the launcher its arguments after the mode\'s flags, as they are', async () => {
    const { home, project } = sandbox();
    useModelLauncher(project);
    // Without --model the launcher fails as upstream's does; with it, the run goes to its end
    const bare = await cli(home, ['start', 'test'], { cwd: project });
    expect(bare.code).toBe(1);
    const r = await cli(home, ['start', 'test', '--', '--model', 'reachy_mini.xml'], { cwd: project });
    expect(r.stderr).not.toContain('unexpected argument');
    expect(r.code).toBe(0);
    expect(loggedArgv(home).at(-1)).toEqual(['--headless', '--duration', '2', '--model', 'reachy_mini.xml']);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
  });

  it('the robotArgs setting (set with `config set robotArgs -- ARGS`) comes before start\'s own ARGS, at every start', async () => {
    const { home, project } = sandbox();
    useModelLauncher(project);
    const set = await cli(home, ['config', 'set', 'robotArgs', '--', '--model', 'reachy_mini.xml']);
    expect(set.code).toBe(0);
    expect(JSON.parse((await cli(home, ['config', 'get', 'robotArgs'])).stdout)).toEqual(['--model', 'reachy_mini.xml']);
    const r = await cli(home, ['start', 'headless', '--duration', '0.3', '--', '--verbose'], { cwd: project });
    expect(r.code).toBe(0);
    expect(loggedArgv(home).at(-1)).toEqual(['--headless', '--duration', '0.3', '--model', 'reachy_mini.xml', '--verbose']);
  });

  it('start --detach passes them too, and `-- --help` goes to the launcher, not to bbia-safe', async () => {
    const { home, project } = sandbox();
    useModelLauncher(project);
    const r = await cli(home, ['start', 'headless', '--detach', '--', '--model', 'reachy_mini.xml'], { cwd: project });
    expect(r.code).toBe(0);
    pidfilePid(home);
    expect(loggedArgv(home).at(-1)).toEqual(['--headless', '--model', 'reachy_mini.xml']);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    const help = await cli(home, ['start', 'test', '--', '--help'], { cwd: project });
    expect(help.stdout).not.toContain('usage: bbia-safe start');
    expect(fs.readFileSync(`${home}/.bbia-safe/logs/robot.log`, 'utf8')).toContain('usage: launch_complete_robot.py');
  });

  it('robotArgs takes a JSON list or a shell-like line, and refuses what it cannot read with what to do (exit 2)', async () => {
    const { home } = sandbox();
    expect((await cli(home, ['config', 'set', 'robotArgs', '["--model", "my robot.xml"]'])).code).toBe(0);
    expect(JSON.parse((await cli(home, ['config', 'get', 'robotArgs'])).stdout)).toEqual(['--model', 'my robot.xml']);
    expect((await cli(home, ['config', 'set', 'robotArgs', "'my robot.xml' --verbose"])).code).toBe(0);
    expect(JSON.parse((await cli(home, ['config', 'get', 'robotArgs'])).stdout)).toEqual(['my robot.xml', '--verbose']);
    const quote = await cli(home, ['config', 'set', 'robotArgs', '"open']);
    expect(quote.code).toBe(2);
    expect(quote.stderr).toMatch(/robotArgs: a " quote is not closed\n {2}-> give the arguments after --/);
    const json = await cli(home, ['config', 'set', 'robotArgs', '[1, 2]']);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('every argument must be a string');
    // `--` is for robotArgs only
    const other = await cli(home, ['config', 'set', 'python', '--', 'x']);
    expect(other.code).toBe(2);
    // No ARGS after `--`: none
    expect((await cli(home, ['config', 'set', 'robotArgs', '--'])).code).toBe(0);
    expect(JSON.parse((await cli(home, ['config', 'get', 'robotArgs'])).stdout)).toEqual([]);
  });
});
