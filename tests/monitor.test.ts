import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../main/engine/engine.js';
import { History, sparkline } from '../main/engine/monitor/history.js';
import { capLog } from '../main/engine/supervise/log-file.js';
import { Monitor } from '../main/engine/monitor/monitor.js';
import { createPaths } from '../main/engine/paths.js';
import { createDarwinSource } from '../main/engine/scan/proc/darwin.js';
import type { BbiaProcess } from '../main/engine/scan/scan.js';
import { DEFAULT_SETTINGS } from '../main/engine/settings/schema.js';
import { waitFor } from '../main/engine/wait.js';
import { BIN, alive, commandOf, scriptArgs, allGone, assertNoForeignRobot, cli, cliEnv, cliSpawn, readyTree, sandbox, tempDir, track } from './helpers.js';

beforeEach(() => assertNoForeignRobot());

describe('runaways', () => {
  it('flags a real busy loop once it stays over the CPU threshold, and only once', async () => {
    const { home, project, ready } = sandbox();
    const hog = spawn('python3', ['scripts/launch_complete_robot.py', '--headless'], { cwd: project, env: { ...process.env, BBIA_FAKE_BUSY: '1', BBIA_FAKE_READY: ready }, stdio: 'ignore' });
    track(hog.pid!);
    await readyTree(ready);
    const settings = { ...structuredClone(DEFAULT_SETTINGS), runaway: { cpuPercent: 40, robotCpuPercent: 40, sustainSeconds: 1, memoryMB: 100000 } };
    const engine = createEngine({ paths: createPaths({ home }), settings, cwd: project });
    const monitor = new Monitor(engine, { intervalMs: 200, machine: false });
    let started = 0;
    let current = 0;
    const t0 = Date.now();
    await waitFor(() => Date.now() - t0 > 200, 1000, 200);
    expect(
      await waitFor(() => false, 0).then(async () => {
        for (let i = 0; i < 40 && Date.now() - t0 < 8000; i++) {
          const s = await monitor.tick();
          started += s.startedRunaways.filter((r) => r.process.pid === hog.pid).length;
          current = s.runaways.filter((r) => r.process.pid === hog.pid && r.reason === 'cpu').length;
          if (current === 1 && Date.now() - t0 > 2500) return true;
          await waitFor(() => false, 200, 200);
        }
        return false;
      }),
    ).toBe(true);
    expect(started).toBe(1);
    const series = monitor.history.series(`${hog.pid}:${engine.snapshot().processes.find((p) => p.pid === hog.pid)!.startKey}`)!;
    expect(Math.max(...series.cpu.filter((v) => !Number.isNaN(v)))).toBeGreaterThan(40);
  });
});

describe('leftovers and cleanup', () => {
  it('stops old project test runs and websocket helpers outside the instance, and nothing else', async () => {
    const { home, project, ready } = sandbox();
    const other = path.join(tempDir(), 'elsewhere');
    fs.cpSync(path.join(project, 'tests'), path.join(other, 'tests'), { recursive: true });
    expect((await cli(home, ['config', 'set', 'leftoverMinutes', '0'])).code).toBe(0);
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } })).code).toBe(0);
    const { pid: robot } = await readyTree(ready);
    const args = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_leftover.py'];
    const stale = spawn('python3', args, { cwd: project, stdio: 'ignore' });
    const foreign = spawn('python3', args, { cwd: other, stdio: 'ignore' });
    const ws = spawn('python3', ['scripts/websocket_integration.py'], { cwd: project, stdio: 'ignore' });
    track(stale.pid!, foreign.pid!, ws.pid!);
    const cmd = (pid: number) => commandOf(pid) ?? '';
    expect(await waitFor(() => cmd(stale.pid!).includes('pytest') && cmd(ws.pid!).includes('websocket'), 5000)).toBe(true);

    const status = await cli(home, ['status'], { cwd: project });
    expect(status.stdout).toContain('2 leftover(s): clear them with bbia-safe cleanup');
    const cleaned = await cli(home, ['cleanup', '--force'], { cwd: project });
    expect(cleaned.code).toBe(0);
    expect(cleaned.stdout).toContain('Cleaned up 2 leftover(s)');
    expect(await allGone([stale.pid!, ws.pid!], 1000)).toBe(true);
    expect(alive(robot)).toBe(true);
    expect(alive(foreign.pid!)).toBe(true);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
  });
});

describe('logs and the last exit', () => {
  it('prints the last lines, reports a robot that exited on its own, and follows the log until Ctrl+C', async () => {
    const { home, project } = sandbox();
    const run = await cli(home, ['start', 'headless', '--duration', '0.2'], { cwd: project, env: { BBIA_FAKE_EXIT: '5' } });
    expect(run.code).toBe(5);
    const tail = await cli(home, ['logs', '-n', '2']);
    expect(tail.code).toBe(0);
    expect(tail.stdout.trim().split('\n')).toEqual([expect.stringContaining('robot running'), 'robot done']);
    const status = await cli(home, ['status']);
    expect(status.stdout).toMatch(/Last run: robot PID \d+ exited on its own \(exit code 5\)/);

    const follow = cliSpawn(home, ['logs', '-f', '-n', '1']);
    let seen = '';
    follow.stdout!.on('data', (d: Buffer) => (seen += d.toString()));
    expect(await waitFor(() => seen.includes('robot done'), 5000)).toBe(true);
    fs.appendFileSync(path.join(home, '.bbia-safe/logs/robot.log'), 'a new line\n');
    expect(await waitFor(() => seen.includes('a new line'), 5000)).toBe(true);
    follow.kill('SIGINT');
    expect((await follow).exitCode).toBe(0);
  });

  it('caps a log that another process appends to (copytruncate)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'robot.log');
    const fd = fs.openSync(file, 'a');
    fs.writeSync(fd, 'x'.repeat(2000));
    expect(capLog(file, 1000)).toBe(true);
    fs.writeSync(fd, 'after\n');
    fs.closeSync(fd);
    expect(fs.statSync(`${file}.1`).size).toBe(2000);
    expect(fs.readFileSync(file, 'utf8')).toBe('after\n');
  });

  it('keeps the cap when the copy cannot be written (a folder in the way of robot.log.1): the log is truncated all the same', () => {
    const dir = tempDir();
    const file = path.join(dir, 'robot.log');
    fs.mkdirSync(`${file}.1`);
    fs.writeFileSync(file, 'x'.repeat(2000));
    expect(capLog(file, 1000)).toBe(true);
    expect(fs.statSync(file).size).toBe(0);
    expect(fs.statSync(`${file}.1`).isDirectory()).toBe(true);
  });
});

describe('status --watch', () => {
  it('redraws in place with sparklines and exits cleanly on Ctrl+C', async () => {
    const { home, project, ready } = sandbox();
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } })).code).toBe(0);
    await readyTree(ready);
    // `exec`: script runs the command through $SHELL, and dash (/bin/sh, CI's shell) stays as the parent in the
    // terminal's foreground group, where Ctrl+C kills it (exit 130) whatever bbia-safe does
    const sub = execa('script', scriptArgs([process.execPath, BIN, 'status', '--watch', '--interval', '0.3']), { env: cliEnv(home), extendEnv: false, reject: false, stdin: 'pipe' });
    track(sub.pid!);
    let seen = '';
    sub.stdout!.on('data', (d: Buffer) => (seen += d.toString()));
    expect(await waitFor(() => seen.split('\x1b[H').length > 3 && /robot {5}PID/.test(seen), 10_000)).toBe(true);
    expect(seen).toMatch(/[▁▂▃▄▅▆▇█]/);
    sub.stdin!.write('\x03');
    const result = await sub;
    // On failure, say how it ended and what it printed last
    expect(result.exitCode, `signal ${result.signal}, last output: ${JSON.stringify((seen + String(result.stdout)).slice(-400))}`).toBe(0);
    expect(seen + String(result.stdout)).toContain('\x1b[?25h');
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
  });
});

describe('history', () => {
  it('holds a bounded amount of memory however long it runs', () => {
    const h = new History({ intervalMs: 1000, maxSeries: 256 });
    expect(h.capacity).toBe(600);
    const proc = (pid: number): BbiaProcess => ({ pid, ppid: 1, pgid: pid, startKey: String(pid), kind: 'test', locked: false, cpu: pid % 100, memRss: pid * 1024 * 1024, startedAt: 0, command: 'x' });
    for (let i = 0; i < 10_000; i++) h.record(Array.from({ length: 300 }, (_, k) => proc((i % 50) * 1000 + k)), { cpu: 50, usedMB: 1000 });
    expect(h.bytes().now).toBeLessThanOrEqual(h.bytes().max);
    expect(h.bytes().max).toBe(257 * 600 * 2 * 4);
    expect(h.machine().cpu).toHaveLength(600);
    expect(sparkline([0, 50, 100, Number.NaN], 4, 100)).toBe('▁▅█ ');
  });
});

describe('the poll feeds the supervision (issue 12, point 1)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('on the macOS reader, a descendant that left every link (own session, no mark, parent gone) is known from the poll\'s rows, and stopped', async () => {
    const { home, project, ready } = sandbox();
    const release = path.join(home, 'release');
    const log = path.join(tempDir(), 'ps.log');
    vi.stubEnv('PROCPS_LOG', log);
    vi.stubEnv('BBIA_FAKE_READY', ready);
    vi.stubEnv('BBIA_FAKE_CHILDREN', '1');
    vi.stubEnv('BBIA_FAKE_ESCAPE', release);
    // Linux's procps behind the shim of macOS's ps (tests/fixtures/ps/procps-as-bsd.sh); a Mac's own ps there
    const source = createDarwinSource({ ps: process.platform === 'linux' ? path.resolve(import.meta.dirname, 'fixtures', 'ps', 'procps-as-bsd.sh') : '/bin/ps' });
    const engine = createEngine({ paths: createPaths({ home }), settings: { ...structuredClone(DEFAULT_SETTINGS), projectDir: project, stopTimeout: 2 }, source, cwd: project });
    const sup = await engine.supervise({ mode: 'headless', projectDir: project, log: () => {} });
    track(sup.record.pid);
    const { pid, tree } = await readyTree(ready);
    const [helper, escaped] = tree as [number, number];
    const monitor = new Monitor(engine, { intervalMs: 2000, machine: false, looking: () => false, observe: (rows) => sup.observe(rows) });
    const calls = () => fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    const before = calls().length;
    await monitor.tick();
    // The tick's one table read (one ps; command lines are read once per new identity, none new here)
    expect(calls().slice(before).filter((c) => !c.includes('command='))).toHaveLength(1);
    // Its parent exits: no parent link, its own session, and an empty environment (no mark)
    fs.writeFileSync(release, '');
    expect(await waitFor(() => !alive(helper), 5000)).toBe(true);
    expect(alive(escaped)).toBe(true);
    const end = await sup.stop('test');
    expect(end.report?.targeted.map((p) => p.pid)).toContain(escaped);
    expect(await allGone([pid, escaped], 2000)).toBe(true);
  });
});
