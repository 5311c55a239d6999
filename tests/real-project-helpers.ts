import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { waitFor } from '../main/engine/wait.js';
import { alive, cli, tempDir, track } from './helpers.js';

// Processes shaped on the real project, arkalia-luna-system/bbia-sim (issue 10): the fixture
// tests/fixtures/bbia-sim, a fake uvicorn and mypy in tests/fixtures/pylibs, and look-alikes that
// only name BBIA files. Every process is started with its real command line and tracked by PID
// (helpers.ts kills what is tracked after each test).

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');
/** The PYTHONPATH entry that holds the fixture's uvicorn and mypy. */
export const PYLIBS = path.join(FIXTURES, 'pylibs');

/** A temp HOME with a copy of the bbia-sim fixture in it, and another project in another folder. */
export interface RealSandbox {
  home: string;
  project: string;
  other: string;
}

/** Copies the fixture project into a fresh temp HOME, and the other project elsewhere. */
export function realSandbox(): RealSandbox {
  const home = tempDir('bbia-real-');
  const project = path.join(home, 'bbia-sim');
  fs.cpSync(path.join(FIXTURES, 'bbia-sim'), project, { recursive: true });
  const other = path.join(tempDir('bbia-other-'), 'other-project');
  fs.cpSync(path.join(FIXTURES, 'lookalikes', 'other-project'), other, { recursive: true });
  fs.mkdirSync(path.join(home, 'proc-logs'));
  return { home, project, other };
}

/** The environment of a fixture process: no BBIA_ variable of the caller, the pylibs, no bytecode (so workers run `python3 -B`). */
export function pyEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('BBIA_')) env[k] = v;
  return { ...env, PYTHONPATH: PYLIBS, PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

/** Starts one process as a user would, output to HOME/proc-logs/LABEL.log; tracked; returns its PID. */
export function launch(sb: RealSandbox, label: string, argv: string[], opts: { cwd?: string; argv0?: string; env?: Record<string, string> } = {}): number {
  const out = fs.openSync(path.join(sb.home, 'proc-logs', `${label}.log`), 'a');
  const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd ?? sb.project, env: pyEnv(opts.env), argv0: opts.argv0, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  if (!child.pid) throw new Error(`${label} did not start: ${argv.join(' ')}`);
  track(child.pid);
  return child.pid;
}

/** The program a PID runs now (basename of /proc/PID/exe), '' once it is gone. */
function exeOf(pid: number): string {
  try {
    return path.basename(fs.readlinkSync(`/proc/${pid}/exe`));
  } catch {
    return '';
  }
}

/** Waits until PID runs `program` (python3 goes through pyenv's shell shim first); throws if it never does. */
export async function waitExec(pid: number, program: string, timeoutMs = 15_000): Promise<number> {
  if (!(await waitFor(() => exeOf(pid).startsWith(program), timeoutMs, 50))) throw new Error(`PID ${pid} never ran ${program}`);
  return pid;
}

/** PIDs whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'latin1');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid && alive(Number(name))) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

/** The command line of a PID, words joined by spaces ('' once gone). */
export function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/** A TCP port free on loopback now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** True when GET http://127.0.0.1:PORT/ answers 200 within a second. */
export function httpOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

/** Polls an async condition every 100 ms until it holds or the time is up. */
export async function waitForAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await delay(100);
  }
}

/** Starts one of the project's servers (`python3 SCRIPT ARGS`, ARGS holding `--port PORT`) and waits until PORT answers 200. */
export async function startServer(sb: RealSandbox, script: string, args: string[], port: number): Promise<number> {
  const pid = launch(sb, path.basename(script), ['python3', script, ...args]);
  if (!(await waitForAsync(() => httpOk(port), 20_000))) throw new Error(`${script} never answered on port ${port}`);
  return pid;
}

/** The uvicorn `--reload` daemon: its parent, the spawned worker and the resource tracker. */
export interface Daemon {
  parent: number;
  worker: number;
  tracker: number;
}

/** Starts `python3 -m uvicorn src.bbia_sim.daemon.app.main:app --reload --port PORT` in the project; waits for HTTP 200. */
export async function startDaemon(sb: RealSandbox, port: number): Promise<Daemon> {
  const parent = launch(sb, 'uvicorn', ['python3', '-m', 'uvicorn', 'src.bbia_sim.daemon.app.main:app', '--reload', '--port', String(port)]);
  const find = (needle: string) => childrenOf(parent).find((pid) => commandOf(pid).includes(needle));
  // Tracked as soon as seen: a SIGKILLed parent leaves its worker serving (the bug of issue 10)
  const seen = await waitFor(() => find('spawn_main') !== undefined && find('resource_tracker') !== undefined, 20_000, 50);
  if (!seen) throw new Error(`uvicorn --reload never spawned its worker and resource tracker: ${childrenOf(parent).map(commandOf).join(' | ')}`);
  const daemon = { parent, worker: find('spawn_main')!, tracker: find('resource_tracker')! };
  track(daemon.worker, daemon.tracker);
  if (!(await waitForAsync(() => httpOk(port), 20_000))) throw new Error(`uvicorn never answered on port ${port}`);
  return daemon;
}

/** Starts a websocket client of examples/ on ws://localhost:PORT; returns once it runs Python. */
export function startClient(sb: RealSandbox, script: 'examples/subscribe_telemetry.py' | 'examples/demo_state_ws.py', port: number): Promise<number> {
  return waitExec(launch(sb, path.basename(script), ['python3', script, '--url', `ws://localhost:${port}`]), 'python');
}

/** Starts the project's pytest on tests/test_slow.py (ignores SIGTERM) in the project; returns once SIGTERM is ignored. */
export async function startSlowTest(sb: RealSandbox): Promise<number> {
  const ready = path.join(sb.home, `slow-test-${Date.now()}-${Math.random().toString(36).slice(2)}.ready`);
  const pid = launch(sb, 'pytest', ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_slow.py'], { env: { BBIA_FIXTURE_READY: ready } });
  if (!(await waitFor(() => fs.existsSync(ready), 30_000, 50))) throw new Error('the slow pytest never started its test');
  return pid;
}

/** Starts the launcher by hand, `python3 scripts/launch_complete_robot.py --model reachy_mini.xml ARGS`; returns once its loop runs. */
export async function startHandRobot(sb: RealSandbox, args: string[] = []): Promise<number> {
  const ready = path.join(sb.home, `hand-robot-${Date.now()}.ready`);
  const pid = launch(sb, 'hand-robot', ['python3', 'scripts/launch_complete_robot.py', '--model', 'reachy_mini.xml', ...args], { env: { BBIA_FIXTURE_READY: ready } });
  if (!(await waitFor(() => fs.existsSync(ready), 20_000, 50))) throw new Error('the hand-started robot never ran its loop');
  return pid;
}

/** Runs `bbia-safe start ARGS` in the project and tracks the robot it left (first line of ~/.bbia_sim.pid), if any, even when the run failed. */
export async function cliStart(sb: RealSandbox, args: string[], env: Record<string, string> = {}, cwd = sb.project) {
  const run = await cli(sb.home, ['start', ...args], { cwd, env });
  try {
    const pid = Number(fs.readFileSync(path.join(sb.home, '.bbia_sim.pid'), 'utf8').split('\n')[0]);
    if (pid > 1) track(pid);
  } catch {
    // no instance left
  }
  return run;
}

/** Waits for the ready file a launcher started by bbia-safe writes (BBIA_FIXTURE_READY) and returns its PID, tracked. */
export async function readyPid(file: string, timeoutMs = 20_000): Promise<number> {
  if (!(await waitFor(() => fs.existsSync(file), timeoutMs, 50))) throw new Error(`the launcher never wrote ${file}`);
  const { pid } = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number };
  track(pid);
  return pid;
}

/** One running look-alike: what it is, and its PID. */
export interface Lookalike {
  label: string;
  pid: number;
}

/**
 * Starts the look-alikes of issue 10, each with a command line that names BBIA files without running
 * them: an editor, a pager on the launcher, a search, a linter, a log follower, a package manager's
 * console script in the project's .venv, another project's MuJoCo run and its pytest.
 */
export async function startLookalikes(sb: RealSandbox): Promise<Lookalike[]> {
  const fifo = path.join(sb.home, 'grep-input.fifo');
  execFileSync('mkfifo', [fifo]);
  const started: [string, number, string][] = [
    ['vim -f src/bbia_sim/robot_api.py', launch(sb, 'vim', ['tail', '-f', 'src/bbia_sim/robot_api.py'], { argv0: 'vim' }), 'tail'],
    ['less -f scripts/launch_complete_robot.py', launch(sb, 'less', ['tail', '-f', 'scripts/launch_complete_robot.py'], { argv0: 'less' }), 'tail'],
    ['grep -rn bbia_sim src', launch(sb, 'grep', ['grep', '-rn', 'bbia_sim', 'src', fifo]), 'grep'],
    ['python3 -m mypy src/bbia_sim/', launch(sb, 'mypy', ['python3', '-m', 'mypy', 'src/bbia_sim/']), 'python'],
    ['tail -f log/MUJOCO_LOG.TXT', launch(sb, 'tail', ['tail', '-f', 'log/MUJOCO_LOG.TXT']), 'tail'],
    ['.venv/bin/pip install -e .', launch(sb, 'pip', [path.join(sb.project, '.venv', 'bin', 'pip'), 'install', '-e', '.']), 'python'],
    ['other project: train_mujoco.py --env mujoco', launch(sb, 'train', ['python3', path.join(sb.other, 'train_mujoco.py'), '--env', 'mujoco'], { cwd: sb.other }), 'python'],
    ['other project: pytest', launch(sb, 'other-pytest', ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_other.py'], { cwd: sb.other }), 'python'],
  ];
  for (const [, pid, program] of started) await waitExec(pid, program);
  return started.map(([label, pid]) => ({ label, pid }));
}

/** One process of `status --json`. */
export interface JsonProcess {
  pid: number;
  ppid: number;
  kind: string;
  locked: boolean;
  cpu: number;
  command: string;
  reason: string;
  ports: number[];
}

/** Runs `status --json` in `cwd` and parses it (throws with the output when it is not JSON). */
export async function statusJson(home: string, cwd: string): Promise<{ instance: { pid: number; state: string } | null; processes: JsonProcess[] }> {
  const run = await cli(home, ['status', '--json'], { cwd });
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`status --json (exit ${run.code}) printed no JSON:\n${run.stdout}\n${run.stderr}`);
  }
}
