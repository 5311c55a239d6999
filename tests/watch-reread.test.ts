import { spawn, type ChildProcess } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../main/engine/engine.js';
import { Monitor } from '../main/engine/monitor/monitor.js';
import { createPaths } from '../main/engine/paths.js';
import { createProcSource } from '../main/engine/scan/proc/source.js';
import { REREAD_EVERY, Scanner, type ScanContext } from '../main/engine/scan/scan.js';
import { waitFor } from '../main/engine/wait.js';
import { LINUX, alive, assertNoForeignRobot, commandOf, sandbox, track } from './helpers.js';
import { PYTHON } from './python.js';

beforeEach(() => assertNoForeignRobot());

/**
 * A shell that waits for a line on stdin, then execs (same PID, same start time) into the project's websocket
 * helper. A shell, not a Python: the reader sees an exec by the kernel's command name (bash -> python3).
 */
const EXEC_ON_INPUT = 'read line; exec -a python3 "$0" "scripts/websocket_$1.py"';

/** Starts the waiting shell in `project`, and waits until it runs (not between fork and exec). */
async function startWaiter(project: string): Promise<ChildProcess> {
  const child = spawn('bash', ['-c', EXEC_ON_INPUT, PYTHON, 'integration'], { cwd: project, stdio: ['pipe', 'ignore', 'ignore'] });
  track(child.pid!);
  expect(await waitFor(() => commandOf(child.pid!)?.startsWith('bash -c read line') === true, 5000)).toBe(true);
  return child;
}

/** Makes the detached supervisor exec, and waits until its command line says so. */
async function execIt(child: ChildProcess): Promise<void> {
  child.stdin!.write('go\n');
  expect(await waitFor(() => commandOf(child.pid!) === 'python3 scripts/websocket_integration.py', 5000)).toBe(true);
}

/** Ends a child this test started, by its handle, and waits until it is reaped. */
async function end(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe("a live view's scan (status --watch)", () => {
  it.runIf(LINUX)('reads a process judged not BBIA once every REREAD_EVERY scans, and finds it within that many scans once it execs into BBIA', async () => {
    const { project } = sandbox();
    // Every process an hour old: the round-robin applies at once, not after the first 5 s
    const scanner = new Scanner(createProcSource(), { now: () => Date.now() + 3_600_000 });
    const ctx: ScanContext = { projectRoots: [project], rereadEvery: REREAD_EVERY };
    const idle = spawn('sleep', ['600'], { stdio: 'ignore' });
    track(idle.pid!);
    const waiter = await startWaiter(project);
    try {
      expect(await waitFor(() => commandOf(idle.pid!) === 'sleep 600', 5000)).toBe(true);
      const entryOf = (pid: number) => scanner.scan(ctx).all.find((p) => p.pid === pid);
      let last = entryOf(idle.pid!);
      expect(last).toBeDefined();
      // The same entry object back means /proc/PID/stat was not read again
      let reads = 0;
      for (let i = 0; i < REREAD_EVERY; i++) {
        const now = entryOf(idle.pid!);
        expect(now?.startKey).toBe(last!.startKey);
        if (now !== last) reads++;
        last = now;
      }
      expect(reads).toBe(1);
      expect(scanner.scan(ctx).bbia.some((p) => p.pid === waiter.pid)).toBe(false);
      await execIt(waiter);
      let scans = 0;
      let found = false;
      while (!found && scans < REREAD_EVERY) {
        scans++;
        found = scanner.scan(ctx).bbia.some((p) => p.pid === waiter.pid && p.kind === 'websocket');
      }
      expect(found, `not listed after ${scans} scans`).toBe(true);
      // A full scan (status, every stop) reads it at once, whatever the live view's turn
      expect(new Scanner(createProcSource()).scan({ projectRoots: [project] }).bbia.some((p) => p.pid === waiter.pid)).toBe(true);
    } finally {
      await end(waiter);
      await end(idle);
    }
  });

  it('reads a process younger than 5 s at every scan: an exec right after its start is seen at the next scan', async () => {
    const { project } = sandbox();
    const scanner = new Scanner(createProcSource());
    const ctx: ScanContext = { projectRoots: [project], rereadEvery: REREAD_EVERY };
    const waiter = await startWaiter(project);
    try {
      let scan = 0;
      // Scan until the next scan is not the detached supervisor's turn of the round-robin, so only its youth has it read
      do {
        scan++;
        expect(scanner.scan(ctx).bbia.some((p) => p.pid === waiter.pid)).toBe(false);
      } while ((waiter.pid! + scan + 1) % REREAD_EVERY === 0);
      await execIt(waiter);
      expect(scanner.scan(ctx).bbia.some((p) => p.pid === waiter.pid && p.kind === 'websocket')).toBe(true);
    } finally {
      await end(waiter);
    }
  });

  it("lists a new BBIA process at the monitor's next tick and drops it at the tick after it died", async () => {
    const { home, project } = sandbox();
    const engine = createEngine({ paths: createPaths({ home }), cwd: project });
    const monitor = new Monitor(engine, { intervalMs: 1000, machine: false, rereadEvery: REREAD_EVERY });
    const listed = async (pid: number) => (await monitor.tick()).processes.some((p) => p.pid === pid);
    await monitor.tick();
    const ws = spawn(PYTHON, ['scripts/websocket_integration.py'], { cwd: project, stdio: 'ignore' });
    track(ws.pid!);
    try {
      expect(await waitFor(() => commandOf(ws.pid!)?.includes('websocket_integration.py') === true, 5000)).toBe(true);
      expect(await listed(ws.pid!)).toBe(true);
      expect(await listed(ws.pid!)).toBe(true);
      await end(ws);
      expect(alive(ws.pid!)).toBe(false);
      expect(await listed(ws.pid!)).toBe(false);
    } finally {
      await end(ws);
    }
  });
});
