import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../main/engine/wait.js';
import { alive, allGone, assertNoForeignRobot, cli, cliSpawn, lockPaths, pidfilePid } from './helpers.js';
import { cliStart, freePort, readyPid, realSandbox, startHandRobot, startLookalikes, startServer, statusJson, type Lookalike } from './real-project-helpers.js';

// Issue 10, points 3, 5 and 6, with the launcher shaped on the real one: it needs `--model reachy_mini.xml`,
// runs one core flat out headless, and handles only SIGINT (tests/fixtures/bbia-sim)

beforeEach(() => assertNoForeignRobot());

const MODEL = ['--', '--model', 'reachy_mini.xml'];

/** Fails naming the look-alikes that are gone. */
function expectLookalikesAlive(looks: readonly Lookalike[]): void {
  expect(looks.filter((l) => !alive(l.pid)).map((l) => l.label), 'look-alikes signalled').toEqual([]);
}

/** True when neither lock file exists. */
function noLockFiles(home: string): boolean {
  const { lock, pid } = lockPaths(home);
  return !fs.existsSync(lock) && !fs.existsSync(pid);
}

describe("the robot's own arguments", () => {
  it('start test -- --model reachy_mini.xml works beside every look-alike; without --model the launch fails with exit 1', async () => {
    const sb = realSandbox();
    const looks = await startLookalikes(sb);
    const run = await cliStart(sb, ['test', ...MODEL]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(/warning/i);
    // The arguments reached the launcher: it logged the model it found
    expect((await cli(sb.home, ['logs', '-n', '50'])).stdout).toMatch(/Modèle : \S*reachy_mini\.xml/);

    const bare = await cliStart(sb, ['test']);
    expect(bare.code, bare.stdout + bare.stderr).toBe(1);
    expect(noLockFiles(sb.home)).toBe(true);
    expectLookalikesAlive(looks);
  });

  it('start --detach fails (exit 1) with the exit code and last log lines when the robot dies in the settle time; a robot that lives runs until stop', async () => {
    const sb = realSandbox();
    const died = await cliStart(sb, ['headless', '--detach']);
    const said = died.stdout + died.stderr;
    expect(died.code, said).toBe(1);
    expect(said).toMatch(/\bcode\D{0,3}1\b/i);
    expect(said).toMatch(/Modèle non trouvé/);
    expect(said).not.toMatch(/Robot started/);
    expect(await waitFor(() => noLockFiles(sb.home), 5000)).toBe(true);

    const ready = path.join(sb.home, 'robot.ready');
    const run = await cliStart(sb, ['headless', '--detach', ...MODEL], { BBIA_FIXTURE_READY: ready });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const robot = await readyPid(ready);
    expect(pidfilePid(sb.home)).toBe(robot);
    const status = await statusJson(sb.home, sb.project);
    expect(status.instance).toMatchObject({ pid: robot, state: 'running' });
    expect(status.processes.find((p) => p.pid === robot)).toMatchObject({ kind: 'robot', locked: true });
    const stop = await cli(sb.home, ['stop', '--force'], { cwd: sb.project });
    expect(stop.code, stop.stdout + stop.stderr).toBe(0);
    expect(await allGone([robot], 5000)).toBe(true);
    expect(noLockFiles(sb.home)).toBe(true);
  });
});

describe('a second robot is an alarm', () => {
  it('status says two robots run; stop --pid stops the hand-started one only, after confirmation, and refuses a dead PID or a non-robot', async () => {
    const sb = realSandbox();
    const ready = path.join(sb.home, 'instance.ready');
    const started = await cliStart(sb, ['graphical', '--detach', ...MODEL], { BBIA_FIXTURE_READY: ready });
    expect(started.code, started.stdout + started.stderr).toBe(0);
    const instance = await readyPid(ready);
    const port = await freePort();
    const dash = await startServer(sb, 'scripts/bbia_dashboard_server.py', ['--port', String(port)], port);
    const looks = await startLookalikes(sb);
    const hand = await startHandRobot(sb);

    const status = await cli(sb.home, ['status'], { cwd: sb.project });
    expect(status.stdout + status.stderr).toMatch(/\b(2|two) robots\b/i);
    const kinds = new Map((await statusJson(sb.home, sb.project)).processes.map((p) => [p.pid, p.kind]));
    expect([kinds.get(instance), kinds.get(hand)]).toEqual(['robot', 'robot']);

    // No terminal, no --force: refused, nothing signalled
    const refused = await cli(sb.home, ['stop', '--pid', String(hand)], { cwd: sb.project });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--force');
    // Not a robot: a BBIA server, a look-alike editor; refused even with --force
    for (const pid of [dash, looks[0]!.pid]) {
      const wrong = await cli(sb.home, ['stop', '--pid', String(pid), '--force'], { cwd: sb.project });
      expect([1, 2], wrong.stdout + wrong.stderr).toContain(wrong.code);
      expect(wrong.stderr).toContain(String(pid));
    }
    expect(alive(hand) && alive(instance) && alive(dash)).toBe(true);

    const stop = await cli(sb.home, ['stop', '--pid', String(hand), '--force'], { cwd: sb.project });
    expect(stop.code, stop.stdout + stop.stderr).toBe(0);
    expect(await allGone([hand], 5000)).toBe(true);
    expect(alive(instance) && alive(dash)).toBe(true);
    expect(fs.existsSync(lockPaths(sb.home).lock)).toBe(true);
    expectLookalikesAlive(looks);
    // The same PID again: gone, a clear error
    const dead = await cli(sb.home, ['stop', '--pid', String(hand), '--force'], { cwd: sb.project });
    expect([1, 2], dead.stdout + dead.stderr).toContain(dead.code);
    expect(dead.stderr).toContain(String(hand));

    expect((await cli(sb.home, ['stop', '--force'], { cwd: sb.project })).code).toBe(0);
    expect(await allGone([instance], 5000)).toBe(true);
  });
});

describe('runaway defaults that fit the real project', () => {
  it('a normal headless run, one core flat out, is never flagged RUNAWAY (thresholds kept, sustain cut to 1 s)', async () => {
    const sb = realSandbox();
    expect((await cli(sb.home, ['config', 'set', 'runaway', '{"cpuPercent":90,"sustainSeconds":1,"memoryMB":2048}'])).code).toBe(0);
    const ready = path.join(sb.home, 'robot.ready');
    expect((await cliStart(sb, ['headless', '--detach', ...MODEL], { BBIA_FIXTURE_READY: ready })).code).toBe(0);
    const robot = await readyPid(ready);

    const watch = cliSpawn(sb.home, ['status', '--watch', '--interval', '0.5'], { cwd: sb.project });
    let seen = '';
    watch.stdout!.on('data', (d: Buffer) => (seen += d.toString()));
    const robotLines = () => seen.split('\n').filter((line) => new RegExp(`^\\s+\\S+\\s+PID ${robot}\\s`).test(line));
    // Ten frames: five seconds of a busy robot, five times the sustain time
    expect(await waitFor(() => robotLines().length >= 10, 30_000, 100)).toBe(true);
    watch.kill('SIGINT');
    expect((await watch).exitCode).toBe(0);
    const cpus = robotLines().map((line) => Number(/(\d+\.\d)%/.exec(line)?.[1]));
    expect(Math.max(...cpus), 'the headless robot ran a core (else this test proves nothing)').toBeGreaterThan(80);
    expect(robotLines().filter((line) => line.includes('RUNAWAY'))).toEqual([]);

    expect((await cli(sb.home, ['stop', '--force'], { cwd: sb.project })).code).toBe(0);
    expect(await allGone([robot], 5000)).toBe(true);
  });
});
