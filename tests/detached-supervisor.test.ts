import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { schemaErrors } from '../main/engine/supervise/schema-check.js';
import { waitFor } from '../main/engine/wait.js';
import { alive, allGone, assertNoForeignRobot, BIN, cli, cliEnv, commandOf, LINUX, lockPaths, ppidOf, readNow, readyTree, sandbox, startKey, tempDir, track } from './helpers.js';

const DETACHED_DIR = path.resolve(import.meta.dirname, '..', 'main', 'engine', 'supervise', 'detached');

beforeEach(() => assertNoForeignRobot());

/** The supervisor recorded in the pidfile. */
function supervisorOf(home: string): { pid: number; startKey: string } {
  const record = JSON.parse(fs.readFileSync(lockPaths(home).pid, 'utf8').split('\n')[1]!);
  return { pid: record.supervisorPid, startKey: record.supervisorStartKey };
}

const supervisorLog = (home: string) => fs.readFileSync(path.join(home, '.bbia-safe', 'logs', 'supervisor.log'), 'utf8');

/** The instance is over: every PID gone within `timeoutMs`, the lock and the pidfile removed. */
async function expectOver(home: string, pids: number[], timeoutMs: number): Promise<void> {
  expect(await allGone(pids, timeoutMs)).toBe(true);
  expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
  expect(fs.existsSync(lockPaths(home).pid)).toBe(false);
}

/**
 * A detached start run by its own copy of Node (a versioned path), which is removed once the robot runs,
 * and then a SIGTERM to the supervisor. The PATH holds Python and, with `pathNode`, a `node` that stays.
 */
async function startOnOwnNode(pathNode: boolean) {
  const { home, project, ready } = sandbox();
  const node = path.join(tempDir(), 'node');
  try {
    fs.linkSync(process.execPath, node);
  } catch {
    fs.copyFileSync(process.execPath, node);
    fs.chmodSync(node, 0o755);
  }
  const bin = tempDir();
  fs.symlinkSync('/usr/bin/python3', path.join(bin, 'python3'));
  if (pathNode) fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  const env = { ...cliEnv(home, { BBIA_FAKE_READY: ready, BBIA_FAKE_CHILDREN: '2' }), PATH: bin };
  expect((await execa(node, [BIN, 'start', 'headless', '--detach'], { cwd: project, env, extendEnv: false, reject: false })).exitCode).toBe(0);
  const { pid, tree } = await readyTree(ready);
  const sup = supervisorOf(home);
  expect(await waitFor(() => supervisorLog(home).includes('supervising robot PID'), 5000)).toBe(true);
  fs.rmSync(node);
  process.kill(sup.pid, 'SIGTERM');
  return { home, project, node, pid, tree, sup };
}

describe('the detached supervisor (its Python stage once the robot runs)', () => {
  it('replaces the Node supervisor in place: same PID and start time (the lock owner), still the robot parent, a Python program', async () => {
    const { home, project, ready } = sandbox();
    // A user's rule matching the detached supervisor's command line (python, and BBIA_SAFE_PYTHON_DIR in its loader)
    expect((await cli(home, ['config', 'set', 'extraRules', '[{"pattern":"bbia","kind":"other"},{"pattern":"python","kind":"other"}]'])).code).toBe(0);
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } })).code).toBe(0);
    const { pid } = await readyTree(ready);
    const sup = supervisorOf(home);
    expect(await waitFor(() => supervisorLog(home).includes(`supervising robot PID ${pid}`), 5000)).toBe(true);
    expect(path.basename(readNow(sup.pid)!.argv[0]!)).toMatch(/^python3/);
    expect(startKey(sup.pid)).toBe(sup.startKey);
    expect(fs.readFileSync(path.join(lockPaths(home).lock, 'owner'), 'utf8').startsWith(`${sup.pid} ${sup.startKey} `)).toBe(true);
    expect(ppidOf(pid)).toBe(sup.pid);
    // Its command line names no install path and is bbia-safe itself for the scans: never listed, never a target
    const status = JSON.parse((await cli(home, ['status', '--json'])).stdout);
    expect(status.instance).toMatchObject({ pid, state: 'running', supervisorPid: sup.pid });
    const listed = status.processes.map((p: { pid: number }) => p.pid);
    expect(listed).toContain(pid);
    expect(listed).not.toContain(sup.pid);

    // SIGTERM to the detached supervisor: Node stops the tree and releases the lock, the detached supervisor exits after it
    process.kill(sup.pid, 'SIGTERM');
    await expectOver(home, [pid, sup.pid], 10_000);
    expect(supervisorLog(home)).toContain('stopping on SIGTERM');
  });

  it('hands a robot that exits on its own to Node, which writes the exit report and removes the lock files', async () => {
    const { home, project, ready } = sandbox();
    expect((await cli(home, ['start', 'test', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready, BBIA_FAKE_EXIT: '4' } })).code).toBe(0);
    const { pid } = await readyTree(ready);
    const sup = supervisorOf(home);
    expect(await allGone([pid, sup.pid], 15_000)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
    const report = JSON.parse(fs.readFileSync(path.join(home, '.bbia-safe', 'last-exit.json'), 'utf8'));
    expect(report).toMatchObject({ pid, exitCode: 4, signal: null });
    expect(supervisorLog(home)).toContain('"reason": "exit", "exitCode": 4');
  });

  // Linux only: the detached supervisor is the subreaper of the robot's tree there (PR_SET_CHILD_SUBREAPER); macOS has no such call
  it.skipIf(!LINUX)('remembers a descendant that escaped with no mark (own session, empty environment, parent gone), and the stop ends it [Linux only: subreaper]', async () => {
    const { home, project, ready } = sandbox();
    const release = path.join(home, 'release');
    const env = { BBIA_FAKE_READY: ready, BBIA_FAKE_CHILDREN: '2', BBIA_FAKE_ESCAPE: release };
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env })).code).toBe(0);
    const { pid, tree } = await readyTree(ready);
    const [escaper, escapee] = tree as [number, number];
    expect(await waitFor(() => supervisorLog(home).includes('supervising robot PID'), 5000)).toBe(true);
    fs.writeFileSync(release, '');
    expect(await waitFor(() => ppidOf(escapee) !== escaper, 5000)).toBe(true);
    // Re-parented to the detached supervisor, the subreaper of the robot's tree, not to init
    expect(ppidOf(escapee)).toBe(supervisorOf(home).pid);
    expect(supervisorLog(home)).toContain('subreaper of its tree');
    expect(fs.readFileSync(`/proc/${escapee}/environ`, 'latin1')).not.toContain('BBIA_SAFE_INSTANCE');
    // Still shown as the instance's, and listed before the stop (the detached supervisor itself never is)
    const status = JSON.parse((await cli(home, ['status', '--json'])).stdout);
    expect(status.processes.find((p: { pid: number }) => p.pid === escapee)).toMatchObject({ locked: true });
    expect(status.processes.map((p: { pid: number }) => p.pid)).not.toContain(supervisorOf(home).pid);

    const stopped = await cli(home, ['stop', '--force']);
    expect(stopped.stdout).toContain(`PID ${escapee}:`);
    expect(stopped.code).toBe(0);
    expect(await allGone([pid, ...tree], 5000)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
  });

  it.skipIf(!LINUX)('on a stop signal, its Node end also stops an orphan adopted after the hand-over (read from the detached supervisor\'s children) [Linux only: subreaper]', async () => {
    const { home, project, ready } = sandbox();
    const release = path.join(home, 'release');
    const env = { BBIA_FAKE_READY: ready, BBIA_FAKE_CHILDREN: '2', BBIA_FAKE_LATE_ESCAPE: release };
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env })).code).toBe(0);
    const { pid, tree } = await readyTree(ready);
    const sup = supervisorOf(home);
    expect(await waitFor(() => supervisorLog(home).includes('supervising robot PID'), 5000)).toBe(true);
    // Born after the hand-over in its own session with no mark, its parent gone: only the detached supervisor's children name it
    fs.writeFileSync(release, '');
    let escapee = 0;
    expect(await waitFor(() => (escapee = childrenOf(sup.pid).find((c) => c !== pid) ?? 0) > 0, 5000)).toBe(true);
    track(escapee);
    process.kill(sup.pid, 'SIGTERM');
    await expectOver(home, [pid, ...tree, escapee, sup.pid], 10_000);
  });

  it('re-creates the lock removed under it, after a freeze past several ticks, with the same owner (through Node\'s upkeep)', async () => {
    const { home, project, ready } = sandbox();
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready, BBIA_SAFE_SUPERVISOR_TICK_MS: '200' } })).code).toBe(0);
    const { pid } = await readyTree(ready);
    const sup = supervisorOf(home);
    expect(await waitFor(() => supervisorLog(home).includes('supervising robot PID'), 5000)).toBe(true);
    const owner = fs.readFileSync(path.join(lockPaths(home).lock, 'owner'), 'utf8');
    process.kill(sup.pid, 'SIGSTOP');
    const frozenAt = Date.now();
    await waitFor(() => Date.now() - frozenAt >= 1000, 2000, 100);
    fs.rmSync(lockPaths(home).lock, { recursive: true });
    process.kill(sup.pid, 'SIGCONT');
    expect(await waitFor(() => fs.existsSync(path.join(lockPaths(home).lock, 'owner')), 5000)).toBe(true);
    expect(fs.readFileSync(path.join(lockPaths(home).lock, 'owner'), 'utf8')).toBe(owner);
    expect(alive(pid)).toBe(true);
    expect(supervisorLog(home)).toContain('lock re-acquired');
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project })).code).toBe(3);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    expect(await allGone([pid, sup.pid], 5000)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
  });

  it('caps the robot log while it runs (copytruncate, by Node\'s upkeep)', async () => {
    const { home, project, ready } = sandbox();
    expect((await cli(home, ['config', 'set', 'logMaxMB', '1'])).code).toBe(0);
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready, BBIA_SAFE_SUPERVISOR_TICK_MS: '200' } })).code).toBe(0);
    const { pid } = await readyTree(ready);
    const log = path.join(home, '.bbia-safe', 'logs', 'robot.log');
    expect(await waitFor(() => supervisorLog(home).includes('supervising robot PID'), 5000)).toBe(true);
    // 1.5 MB appended behind the robot's back, as its own output would be
    fs.appendFileSync(log, `${'x'.repeat(1023)}\n`.repeat(1536));
    expect(await waitFor(() => fs.existsSync(`${log}.1`) && fs.statSync(log).size < 1024 * 1024, 5000)).toBe(true);
    expect(fs.statSync(`${log}.1`).size).toBeGreaterThan(1024 * 1024);
    // Capped by Node (capLog), run by the detached supervisor as its child and reaped: the detached supervisor is still the robot's parent
    expect(ppidOf(pid)).toBe(supervisorOf(home).pid);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    expect(await allGone([pid], 5000)).toBe(true);
  });

  it('looks at a fast-growing log sooner than its 30 s tick, and caps it', async () => {
    const { home, project, ready } = sandbox();
    expect((await cli(home, ['config', 'set', 'logMaxMB', '1'])).code).toBe(0);
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } })).code).toBe(0);
    const { pid } = await readyTree(ready);
    const log = path.join(home, '.bbia-safe', 'logs', 'robot.log');
    expect(await waitFor(() => supervisorLog(home).includes('supervising robot PID'), 5000)).toBe(true);
    // About 320 KB/s, as a chatty robot: past the cap after 3 s, past the first look (1 s), far inside one tick
    const chunk = `${'y'.repeat(1023)}\n`.repeat(64);
    const writer = setInterval(() => fs.appendFileSync(log, chunk), 200);
    try {
      expect(await waitFor(() => fs.existsSync(`${log}.1`), 10_000)).toBe(true);
      // And again after the first cap: the growth is measured across the truncation
      const first = fs.statSync(`${log}.1`).mtimeMs;
      expect(await waitFor(() => fs.statSync(`${log}.1`).mtimeMs > first, 10_000)).toBe(true);
    } finally {
      clearInterval(writer);
    }
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    expect(await allGone([pid], 5000)).toBe(true);
  });

  // Linux only: macOS has no real-time signals (signal 35 does not exist there)
  it.skipIf(!LINUX)('reports a robot ended by a signal Python has no name for (a real-time one) [Linux only: real-time signals]', async () => {
    const { home, project, ready } = sandbox();
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } })).code).toBe(0);
    const { pid } = await readyTree(ready);
    const sup = supervisorOf(home);
    expect(await waitFor(() => supervisorLog(home).includes('supervising robot PID'), 5000)).toBe(true);
    process.kill(pid, 35); // SIGRTMIN+1 on Linux: its default action ends the process
    expect(await allGone([pid, sup.pid], 10_000)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
    const report = JSON.parse(fs.readFileSync(path.join(home, '.bbia-safe', 'last-exit.json'), 'utf8'));
    expect(report).toMatchObject({ pid, exitCode: null, signal: 'SIG35' });
  });

  it('with the Node that started it gone, ends through the `node` the PATH held at hand-over (a Homebrew upgrade)', async () => {
    const { home, node, pid, tree, sup } = await startOnOwnNode(true);
    // The end ran in Node: the whole tree stopped and the lock files removed, as any stop
    await expectOver(home, [sup.pid, pid, ...tree], 10_000);
    expect(supervisorLog(home)).toContain(`could not run ${node}`);
    expect(supervisorLog(home)).not.toContain('no Node could run the end');
  });

  it('without any Node for the end, exits and leaves an orphan that status shows and stop ends (Node upgraded away meanwhile)', async () => {
    const { home, project, pid, tree, sup } = await startOnOwnNode(false);
    // the detached supervisor only says so and exits: it decides nothing, so the robot's tree still runs
    expect(await allGone([sup.pid], 10_000)).toBe(true);
    expect(supervisorLog(home)).toContain('no Node could run the end');
    expect([pid, ...tree].every(alive)).toBe(true);
    // Its owner's identity is gone: the lock is stale, the instance orphaned, and stop ends it
    const status = JSON.parse((await cli(home, ['status', '--json'])).stdout);
    expect(status.instance).toMatchObject({ pid, state: 'orphaned' });
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project })).code).toBe(3);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    await expectOver(home, [pid, ...tree], 5000);
  });

  it('stays in Node when told to (BBIA_SAFE_SUPERVISOR=node), and says so', async () => {
    const { home, project, ready } = sandbox();
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready, BBIA_SAFE_SUPERVISOR: 'node' } })).code).toBe(0);
    const { pid } = await readyTree(ready);
    const sup = supervisorOf(home);
    expect(await waitFor(() => supervisorLog(home).includes('supervising in Node: BBIA_SAFE_SUPERVISOR=node'), 5000)).toBe(true);
    expect(commandOf(sup.pid)).toContain('__supervise');
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    expect(await allGone([pid, sup.pid], 5000)).toBe(true);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
  });

  it('refuses a `__supervisor-end` without a valid state, touching nothing', async () => {
    const home = tempDir();
    const r = await execa(process.execPath, [BIN, '__supervisor-end'], { env: cliEnv(home, { BBIA_SAFE_DETACHED_STATE: '{"robot":' }), extendEnv: false, reject: false });
    expect(r.exitCode).toBe(2);
    expect(supervisorLog(home)).toContain('without a valid BBIA_SAFE_DETACHED_STATE');
  });
});

/** the detached supervisor's children now (Linux: /proc/<pid>/task/<tid>/children). */
function childrenOf(pid: number): number[] {
  return fs.readdirSync(`/proc/${pid}/task`).flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
}

/** CPU ticks of the detached supervisor's reaped children (cutime + cstime of /proc/<pid>/stat): every Node it ran adds some. */
function childTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').at(-1)!.trim().split(' ');
  return Number(fields[13]) + Number(fields[14]);
}

describe('the detached supervisor forks nothing while the robot runs quietly', () => {
  // Linux only: the children and the children's CPU time are read from /proc
  it.skipIf(!LINUX)('runs no child over many ticks, and runs Node\'s upkeep once the lock is removed [Linux only: /proc]', async () => {
    const { home, project, ready } = sandbox();
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready, BBIA_SAFE_SUPERVISOR_TICK_MS: '100' } })).code).toBe(0);
    const { pid } = await readyTree(ready);
    const sup = supervisorOf(home);
    expect(await waitFor(() => supervisorLog(home).includes('supervising robot PID'), 5000)).toBe(true);
    const ticks = childTicks(sup.pid);
    // Fifteen ticks of 100 ms, its children looked at every 10 ms: the robot only, and no child ran meanwhile
    const seen = new Set<string>();
    const from = Date.now();
    await waitFor(() => {
      seen.add(childrenOf(sup.pid).join(','));
      return Date.now() - from >= 1500;
    }, 3000, 10);
    expect([...seen]).toEqual([String(pid)]);
    expect(childTicks(sup.pid)).toBe(ticks);
    // The measure sees a Node when one runs: the lock removed, the upkeep re-creates it and is reaped
    fs.rmSync(lockPaths(home).lock, { recursive: true });
    expect(await waitFor(() => fs.existsSync(path.join(lockPaths(home).lock, 'owner')), 5000)).toBe(true);
    expect(await waitFor(() => childTicks(sup.pid) > ticks, 5000)).toBe(true);
    expect(childrenOf(sup.pid)).toEqual([pid]);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    expect(await allGone([pid, sup.pid], 5000)).toBe(true);
  });
});

describe("the detached supervisor's input: one schema (detached/state.schema.json), checked on both sides", () => {
  const good = {
    robotPid: 4242,
    tickMs: 30000,
    lockDir: '/h/.bbia_sim.lock',
    robotLog: '/h/.bbia-safe/logs/robot.log',
    logMaxBytes: 5242880,
    nodes: ['/usr/bin/node'],
    upkeepArgv: ['/x/bbia-safe.js', '__supervisor-upkeep'],
    endArgv: ['/x/bbia-safe.js', '__supervisor-end'],
    endDeadlineMs: 35000,
    supervisorLog: '/h/.bbia-safe/logs/supervisor.log',
  };

  it('accepts what handOver writes and names what breaks it, in TypeScript', () => {
    const schema = path.join(DETACHED_DIR, 'state.schema.json');
    expect(schemaErrors(good, schema)).toEqual([]);
    const { tickMs: _tickMs, ...missing } = good;
    expect(schemaErrors({ ...missing, robotPid: '4242', extra: 1, endArgv: [1] }, schema)).toEqual([
      'state.tickMs is missing',
      'state.extra is not in the schema',
      'state.robotPid is not an integer',
      'state.endArgv[0] is not a string',
    ]);
  });

  it("checks its one answer too: every end the Python stage can hand over matches $defs.end, and a wrong one does not", async () => {
    const schema = path.join(DETACHED_DIR, 'state.schema.json');
    // Wait statuses: exit 0, exit 3, killed by SIGTERM, killed by a real-time signal, and already reaped (-1)
    const code = [
      'import json, sys',
      'sys.path.insert(0, sys.argv[1])',
      'import supervisor',
      'ends = [supervisor.end_of(s) for s in (0, 3 << 8, 15, 35, -1)]',
      "ends.append({'reason': 'signal', 'signal': supervisor.signal_name(15)})",
      'print(json.dumps(ends))',
    ].join('\n');
    const r = await execa('python3', ['-B', '-c', code, DETACHED_DIR]);
    const ends = JSON.parse(r.stdout) as unknown[];
    expect(ends).toHaveLength(6);
    for (const end of ends) expect(schemaErrors(end, schema, 'end')).toEqual([]);
    expect(schemaErrors({ reason: 'exit', exitCode: 'x', signal: null }, schema, 'end')).toEqual(['end.exitCode is not an integer or a null']);
    expect(schemaErrors({ reason: 'crash', signal: 'SIGTERM' }, schema, 'end')).toEqual(['end.reason is not one of "exit", "signal"']);
  });

  it('makes the detached supervisor exit with a clear log line on a mismatch, signalling nothing', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'supervisor.log');
    const sleeper = execa('sleep', ['30'], { reject: false });
    track(sleeper.pid!);
    const { tickMs: _tickMs, ...state } = { ...good, robotPid: sleeper.pid!, supervisorLog: log, robotPid2: 1 };
    const code = 'import sys\nsys.path.insert(0, sys.argv[1])\nimport supervisor\nsys.exit(supervisor.main())';
    const r = await execa('python3', ['-B', '-c', code, DETACHED_DIR], { env: { BBIA_SAFE_PYTHON_STATE: JSON.stringify(state) }, reject: false });
    expect(r.exitCode).toBe(1);
    const text = fs.readFileSync(log, 'utf8');
    expect(text).toContain('the supervisor state does not match');
    expect(text).toContain('state.tickMs is missing; state.robotPid2 is not in the schema; exiting, nothing signalled');
    expect(alive(sleeper.pid!)).toBe(true);
    sleeper.kill('SIGKILL');
    await sleeper;
  });
});
