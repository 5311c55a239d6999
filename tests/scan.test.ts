import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProcEntry, ProcSource } from '../main/engine/scan/proc/types.js';
import { Scanner } from '../main/engine/scan/scan.js';
import { robotsOf } from '../main/engine/targets.js';
import { reasonText } from '../common/i18n/reasons.js';
import { collectTree } from '../main/engine/supervise/stop-tree.js';

/** A process table the test edits between scans. */
function fakeSource() {
  const procs = new Map<number, ProcEntry>();
  const source: ProcSource = {
    list: () => [...procs.values()].map((p) => ({ ...p })),
    read: (pid) => procs.get(pid),
    cwd: () => '/p',
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
    expect(scanner.scan({ projectRoots: ['/p'] }).bbia).toEqual([]);
    f.put(8, 'python3 examples/subscribe_telemetry.py');
    expect(scanner.scan({ projectRoots: ['/p'] }).bbia.map((p) => p.kind)).toEqual(['websocket']);
  });
});

describe('Scanner: descendants and learned folders', () => {
  it('lists every descendant of a BBIA process under it, whatever it runs, with the parent as reason', () => {
    const f = fakeSource();
    const scanner = new Scanner(f.source, { uid: 0 });
    f.put(20, 'python3 -m uvicorn src.bbia_sim.daemon.app.main:app --reload', { startedAt: 1 });
    f.put(21, 'python3 -B -c from multiprocessing.resource_tracker import main;main(4)', { ppid: 20, startedAt: 2 });
    f.put(22, 'python3 -B -c from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7) --multiprocessing-fork', { ppid: 20, startedAt: 3 });
    f.put(23, 'sleep 600', { ppid: 22, startedAt: 4 });
    f.put(30, 'python3 scripts/launch_complete_robot.py --headless', { startedAt: 5 });
    f.put(31, 'vim scripts/launch_complete_robot.py', { startedAt: 6 });
    f.put(32, 'python3 -B -c from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=9) --multiprocessing-fork', { startedAt: 7 });
    const listed = scanner.scan({ projectRoots: ['/p'] }).bbia.map((p) => [p.pid, p.kind, p.depth, reasonText(p.why)]);
    expect(listed).toEqual([
      [30, 'robot', 0, "the robot's launcher /p/scripts/launch_complete_robot.py"],
      [20, 'server', 0, "uvicorn serving the project's app src.bbia_sim.daemon.app.main:app"],
      [21, 'server', 1, 'child of BBIA process 20 (server)'],
      [22, 'server', 1, 'child of BBIA process 20 (server)'],
      [23, 'server', 2, 'child of BBIA process 22 (server)'],
      // its server gone (SIGKILLed), a worker still serving in the project is still listed
      [32, 'other', 0, 'a multiprocessing worker in the project'],
    ]);
  });

  it("learns a project folder from a running launcher, and sees that folder's tests in the same scan", () => {
    const q = fs.mkdtempSync(path.join(os.tmpdir(), 'bbia-q-'));
    fs.mkdirSync(path.join(q, 'src', 'bbia_sim'), { recursive: true });
    const f = fakeSource();
    const scanner = new Scanner(f.source, { uid: 0 });
    f.put(40, 'python3 -m pytest tests/');
    f.put(41, `python3 ${q}/scripts/launch_complete_robot.py`);
    const cwds: Record<number, string> = { 40: `${q}/tests`, 41: '/' };
    f.source.cwd = (pid) => cwds[pid];
    expect(scanner.scan({ projectRoots: [] }).bbia.map((p) => [p.pid, p.kind])).toEqual([[41, 'robot'], [40, 'test']]);
    expect(scanner.learnedRoots).toEqual([q]);
    fs.rmSync(q, { recursive: true });
  });

  it('decides once per identity and command line: the working folder is read once, not every scan', () => {
    const f = fakeSource();
    const scanner = new Scanner(f.source, { uid: 0 });
    let reads = 0;
    f.source.cwd = () => {
      reads++;
      return '/p';
    };
    f.put(50, 'python3 scripts/bbia_dashboard_server.py --port 8001');
    for (let i = 0; i < 5; i++) expect(scanner.scan({ projectRoots: ['/p'] }).bbia.map((p) => p.kind)).toEqual(['server']);
    expect(reads).toBe(1);
  });
});

describe("a dead BBIA group leader's group", () => {
  it('keeps listing the members of a group a BBIA process led once it is gone, and forgets the group when it empties', () => {
    const f = fakeSource();
    const scanner = new Scanner(f.source, { uid: 0 });
    f.put(80, 'python3 scripts/launch_complete_robot.py', { pgid: 80 });
    f.put(81, 'ffmpeg -i pipe:0 out.mp4', { ppid: 80, pgid: 80 });
    f.put(90, 'sleep 600', { pgid: 90 });
    expect(scanner.scan({ projectRoots: ['/p'] }).bbia.map((p) => p.pid)).toEqual([80, 81]);
    // The robot SIGKILLed: its child re-parented to 1, still in group 80
    f.procs.delete(80);
    f.put(81, 'ffmpeg -i pipe:0 out.mp4', { ppid: 1, pgid: 80 });
    const left = scanner.scan({ projectRoots: ['/p'] }).bbia;
    expect(left.map((p) => [p.pid, p.kind, reasonText(p.why)])).toEqual([[81, 'other', 'in the process group of BBIA process 80 (robot), which has ended']]);
    f.procs.delete(81);
    expect(scanner.scan({ projectRoots: ['/p'] }).bbia).toEqual([]);
    // Group 80 is forgotten: a new process that happens to get that group ID is not BBIA
    f.put(82, 'sleep 5', { pgid: 80 });
    expect(scanner.scan({ projectRoots: ['/p'] }).bbia).toEqual([]);
  });
});

describe('robotsOf: each separate simulation once', () => {
  it("counts a robot started by a project's test, and not the launcher a robot re-ran as its child", () => {
    const f = fakeSource();
    const scanner = new Scanner(f.source, { uid: 0 });
    f.put(60, 'python3 -m pytest tests/', { startedAt: 1 });
    f.put(61, 'python3 scripts/launch_complete_robot.py --headless', { ppid: 60, startedAt: 2 });
    f.put(70, 'python3 scripts/launch_robot.py headless', { startedAt: 3 });
    f.put(71, 'python3 scripts/launch_complete_robot.py --headless', { ppid: 70, startedAt: 4 });
    const listed = scanner.scan({ projectRoots: ['/p'] }).bbia;
    expect(robotsOf(listed).map((p) => p.pid)).toEqual([70, 61]);
  });
});

describe('collectTree', () => {
  it("never takes the caller's line through the root's group: a terminal the robot opened, re-parented but still in its group", () => {
    const f = fakeSource();
    const robot = 900_100;
    f.put(robot, 'python3 scripts/launch_complete_robot.py', { pgid: robot, sid: 900_099 });
    f.put(900_101, 'xterm', { ppid: 1, pgid: robot, sid: 900_099 });
    f.put(900_102, '-zsh', { ppid: 900_101, pgid: 900_102, sid: 900_102 });
    f.put(process.pid, 'node bbia-safe kill-all', { ppid: 900_102, pgid: 900_102, sid: 900_102 });
    f.put(900_103, 'python3 helper.py', { ppid: robot, pgid: robot, sid: 900_099 });
    expect(collectTree(f.source, { pid: robot, startKey: '100' }, []).map((p) => p.pid).toSorted()).toEqual([robot, 900_103]);
  });

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
