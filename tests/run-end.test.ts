import fs from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { assertNoForeignRobot, cli, sandbox } from './helpers.js';
import { useModelLauncher } from './support/model-launcher.js';

beforeEach(() => assertNoForeignRobot());

const lastExit = (home: string) => JSON.parse(fs.readFileSync(`${home}/.bbia-safe/last-exit.json`, 'utf8')) as { lastLines: string[]; finished?: boolean };

describe('how a run ends is told for that run only', () => {
  it('the last lines after an exit are the current run\'s, never an earlier run\'s', async () => {
    const { home, project } = sandbox();
    useModelLauncher(project);
    const first = await cli(home, ['start', 'headless'], { cwd: project, env: { MODEL_LAUNCHER_SAY: 'first run says this', MODEL_LAUNCHER_SILENT_EXIT: '3' } });
    expect(first.code).toBe(3);
    expect(first.stderr).toContain('first run says this');
    // The second run dies at once with its own two lines: only those are shown and recorded
    const second = await cli(home, ['start', 'headless'], { cwd: project, env: { MODEL_LAUNCHER_SAY: 'second run says this' } });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('second run says this');
    expect(second.stderr).not.toContain('first run says this');
    expect(second.stderr).not.toContain('=== bbia-safe');
    expect(lastExit(home).lastLines).toEqual([expect.stringContaining('second run says this'), expect.stringContaining('Modele non trouve')]);
  });

  it('a test run that exits 0 is a normal end, in start and in status, not a warning', async () => {
    const { home, project } = sandbox();
    const r = await cli(home, ['start', 'test'], { cwd: project });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Warning');
    expect(r.stderr).not.toContain('exited on its own');
    expect(r.stderr).toContain('The robot finished its test run (exit code 0).');
    expect(lastExit(home).finished).toBe(true);
    const status = await cli(home, ['status']);
    expect(status.stdout).toMatch(/Last run: robot PID \d+ finished its test run \(exit code 0\)/);
    expect(status.stdout).not.toContain('exited on its own');
    // A timed run that fails is still reported as such
    const failed = await cli(home, ['start', 'headless', '--duration', '0.2'], { cwd: project, env: { BBIA_FAKE_EXIT: '4' } });
    expect(failed.code).toBe(4);
    expect(failed.stderr).toContain('The robot exited on its own (exit code 4)');
    expect(lastExit(home).finished).toBe(false);
  });

  it('in French, the end of a test run is French too', async () => {
    const { home, project } = sandbox();
    const r = await cli(home, ['start', 'test'], { cwd: project, env: { LANG: 'fr_FR.UTF-8' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Le robot a terminé son exécution test (code de sortie 0).');
  });
});
