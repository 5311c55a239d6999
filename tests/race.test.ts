import fs from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { allGone, assertNoForeignRobot, cli, lockPaths, pidsMatching, procSource, readyTree, sandbox, track } from './helpers.js';

beforeEach(() => assertNoForeignRobot());

const RACERS = 8;

async function race(home: string, project: string, ready: string) {
  const results = await Promise.all(
    Array.from({ length: RACERS }, () => cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } })),
  );
  await readyTree(ready);
  const robots = pidsMatching(`launch_complete_robot.py --headless`).filter((p) => procSource.cwd(p) === project);
  track(...robots);
  return { codes: results.map((r) => r.code).sort(), robots, results };
}

describe(`${RACERS} starts racing`, () => {
  it('make exactly one robot; every other start is refused with exit 3', async () => {
    const { home, project, ready } = sandbox();
    const { codes, robots, results } = await race(home, project, ready);
    expect(robots).toHaveLength(1);
    expect(codes).toEqual([0, ...Array(RACERS - 1).fill(3)]);
    for (const r of results.filter((x) => x.code === 3)) expect(r.stderr).toMatch(/PID \d+|starting an instance right now/);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    expect(await allGone(robots, 1000)).toBe(true);
  });

  it('over a stale lock left by a SIGKILLed supervisor, also make exactly one robot', async () => {
    const { home, project, ready } = sandbox();
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } })).code).toBe(0);
    const first = await readyTree(ready);
    const record = JSON.parse(fs.readFileSync(lockPaths(home).pid, 'utf8').split('\n')[1]!);
    track(record.supervisorPid);
    process.kill(record.supervisorPid, 'SIGKILL');
    process.kill(first.pid, 'SIGKILL');
    expect(await allGone([record.supervisorPid, first.pid], 5000)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(true);
    fs.rmSync(ready);

    const { codes, robots } = await race(home, project, ready);
    expect(robots).toHaveLength(1);
    expect(codes).toEqual([0, ...Array(RACERS - 1).fill(3)]);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
  });
});
