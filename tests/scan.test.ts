import { describe, expect, it } from 'vitest';
import type { ProcEntry, ProcSource } from '../main/engine/proc/types.js';
import { Scanner } from '../main/engine/scan.js';
import { collectTree } from '../main/engine/stop-tree.js';

/** A process table the test edits between scans. */
function fakeSource() {
  const procs = new Map<number, ProcEntry>();
  const source: ProcSource = {
    list: () => [...procs.values()].map((p) => ({ ...p })),
    read: (pid) => procs.get(pid),
    cwd: () => undefined,
  };
  const put = (pid: number, command: string, over: Partial<ProcEntry> = {}) =>
    procs.set(pid, {
      pid, ppid: 1, pgid: pid, sid: pid, uid: 0, startKey: '100', startedAt: 0, cpuSeconds: 0, rss: 4096, state: 'S',
      argv: command.split(' '), command, ...over,
    });
  return { source, procs, put };
}

describe('Scanner', () => {
  it('computes CPU from two scans, the first over the life of the process; forgets gone identities', () => {
    let now = 10_000;
    const f = fakeSource();
    const scanner = new Scanner(f.source, { uid: 0, now: () => now });
    f.put(7, 'python3 scripts/launch_complete_robot.py', { cpuSeconds: 5 });
    expect(scanner.scan({ projectRoots: [] }).bbia[0]).toMatchObject({ pid: 7, kind: 'robot', cpu: 50 });
    now += 2000;
    f.put(7, 'python3 scripts/launch_complete_robot.py', { cpuSeconds: 6 });
    expect(scanner.scan({ projectRoots: [] }).bbia[0]!.cpu).toBe(50);
    now += 1000;
    f.put(7, 'python3 scripts/launch_complete_robot.py', { cpuSeconds: 6 });
    expect(scanner.scan({ projectRoots: [] }).bbia[0]!.cpu).toBe(0);
    // The PID handed out again (another start time): a new process, measured over its own life
    f.put(7, 'python3 scripts/launch_complete_robot.py', { cpuSeconds: 1.3, startKey: '999', startedAt: now - 13_000 });
    expect(scanner.scan({ projectRoots: [] }).bbia[0]!.cpu).toBe(10);
  });

  it('classifies again when the command line changes (exec), and not otherwise', () => {
    const f = fakeSource();
    const scanner = new Scanner(f.source, { uid: 0 });
    f.put(8, 'bash -c sleep');
    expect(scanner.scan({ projectRoots: [] }).bbia).toEqual([]);
    f.put(8, 'python3 websocket_integration.py');
    expect(scanner.scan({ projectRoots: [] }).bbia.map((p) => p.kind)).toEqual(['websocket']);
  });
});

describe('collectTree', () => {
  it("never takes the caller's own line through a tracked process (a tmux server the robot started, with the stop typed in one of its panes)", () => {
    const f = fakeSource();
    const server = 900_001;
    const pane = 900_002;
    f.put(server, 'tmux new -d');
    f.put(pane, '-bash', { ppid: server, pgid: pane, sid: pane });
    f.put(process.pid, 'node bbia-safe stop', { ppid: pane, pgid: pane, sid: pane });
    f.put(900_003, 'sleep 600', { ppid: server });
    const robot = { pid: 900_010, startKey: '100' };
    const found = collectTree(f.source, robot, [{ pid: server, startKey: '100' }]).map((p) => p.pid);
    expect(found).toEqual([900_003]);
  });
});
