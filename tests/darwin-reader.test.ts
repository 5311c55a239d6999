import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCpuClock, judgeCpuClock, MACH_TICK_SCALE, ownCpuSeconds } from '../main/engine/scan/proc/cpu-clock.js';
import { createDarwinSource, pidsCarrying, PS_FIELDS } from '../main/engine/scan/proc/darwin.js';
import { collectTree } from '../main/engine/supervise/stop-tree.js';
import { Scanner } from '../main/engine/scan/scan.js';
import { BbiaError } from '../main/engine/errors.js';
import { tempDir } from './helpers.js';

// The macOS reader against a fake ps and lsof printing recorded BSD output (tests/fixtures/ps/README.md)
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'ps');
const PS = path.join(FIXTURES, 'fake-ps.py');
const LSOF = path.join(FIXTURES, 'fake-lsof.sh');
const FAKE_VARS = ['FAKE_PS_DIR', 'FAKE_PS_LOG', 'FAKE_PS_LOCALTIME', 'FAKE_PS_SELF_PID', 'FAKE_PS_SELF_CPU', 'FAKE_LSOF_LOG', 'TZ'];
const saved = Object.fromEntries(FAKE_VARS.map((k) => [k, process.env[k]]));

/** Sets (or, for undefined, removes) environment variables of this process for the fakes and the clock. */
function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
const keys = (entries: { pid: number; startKey: string }[]) => Object.fromEntries(entries.map((p) => [p.pid, p.startKey]));
const utc = (iso: string) => String(Date.parse(iso) / 1000);

afterEach(() => setEnv(saved));

describe('the macOS reader: start times in UTC (issue 11, point 6)', () => {
  const expected = {
    1: utc('2026-11-30T07:58:03Z'),
    7001: utc('2026-10-25T00:30:00Z'),
    7002: utc('2026-10-25T01:30:00Z'),
    7003: utc('2026-03-28T23:15:42Z'),
  };
  // TZ for ps and this process alike; or no TZ, the Mac's zone (FAKE_PS_LOCALTIME) being another than Node's
  const clocks = [
    { TZ: 'Europe/Paris' },
    { TZ: 'America/New_York' },
    { TZ: undefined, FAKE_PS_LOCALTIME: 'Asia/Tokyo' },
    { TZ: undefined, FAKE_PS_LOCALTIME: 'Europe/Paris' },
  ];

  it('gives the same start keys whatever the zone, the repeated hour at the end of daylight saving time included', () => {
    for (const clock of clocks) {
      setEnv({ FAKE_PS_DIR: path.join(FIXTURES, 'dst'), FAKE_PS_LOCALTIME: undefined, ...clock });
      const source = createDarwinSource({ ps: PS });
      expect(keys(source.list()), JSON.stringify(clock)).toEqual(expected);
      expect(source.read(7002)?.startKey, JSON.stringify(clock)).toBe(expected[7002]);
    }
  });
});

describe('the macOS reader: a command line read again after exec (issue 11, point 7)', () => {
  it('reads the new command line of a pyenv shim that became Python (same PID and start time, new comm)', () => {
    const log = path.join(tempDir(), 'ps.log');
    setEnv({ FAKE_PS_DIR: path.join(FIXTURES, 'exec-before'), FAKE_PS_LOG: log, FAKE_LSOF_LOG: path.join(tempDir(), 'lsof.log') });
    const source = createDarwinSource({ ps: PS, lsof: LSOF });
    const scanner = new Scanner(source, { uid: undefined });
    const ctx = { projectRoots: ['/Users/x/bbia'] };
    const before = scanner.scan(ctx);
    const shim = before.all.find((p) => p.pid === 4711)!;
    expect(shim.command).toBe('bash /Users/x/.pyenv/shims/python3 scripts/launch_complete_robot.py');
    expect(before.bbia.find((p) => p.pid === 5120)).toBeUndefined();

    setEnv({ FAKE_PS_DIR: path.join(FIXTURES, 'exec-after') });
    const after = scanner.scan(ctx);
    const python = after.all.find((p) => p.pid === 4711)!;
    expect(python.startKey).toBe(shim.startKey);
    expect(python.command).toBe('/Users/x/.pyenv/versions/3.12.4/bin/python3.12 scripts/launch_complete_robot.py');
    expect(python.argv[0]).toBe('/Users/x/.pyenv/versions/3.12.4/bin/python3.12');
    // The wrapper script that exec'd pytest in the project is a BBIA test now
    expect(after.bbia.find((p) => p.pid === 5120)).toMatchObject({ kind: 'test', command: '/Users/x/bbia/venv/bin/python3 -m pytest tests/test_robot.py' });
    expect(source.read(4711)?.command).toBe(python.command);
    // Command lines are read again for the two that exec'd only, not for the unchanged ones
    const commandReads = lines(log).filter((l) => l.includes('command='));
    expect(commandReads.at(-1)).toMatch(/-p 4711,5120$/);
  });
});

describe('the macOS reader: the working folder (issue 11, point 8)', () => {
  it('runs one lsof per identity, however many scans, scanners and rule changes ask', async () => {
    const lsofLog = path.join(tempDir(), 'lsof.log');
    setEnv({ FAKE_PS_DIR: path.join(FIXTURES, 'exec-after'), FAKE_LSOF_LOG: lsofLog });
    const source = createDarwinSource({ ps: PS, lsof: LSOF });
    const roots = ['/Users/x/bbia'];
    for (const scanner of [new Scanner(source, { uid: undefined }), new Scanner(source, { uid: undefined })]) {
      for (let i = 0; i < 3; i++) expect(scanner.scan({ projectRoots: roots }).bbia.find((p) => p.pid === 5120)?.kind).toBe('test');
      // New rules make the scanner classify again: the folder comes from the reader's cache
      expect(scanner.scan({ projectRoots: roots, extraRules: [{ pattern: 'nothing-here', kind: 'other' }] }).bbia.find((p) => p.pid === 5120)?.kind).toBe('test');
    }
    // The pytest's folder decides whether it is the project's; the launcher's names its project folder
    expect(lines(lsofLog).toSorted()).toEqual(['4711', '5120']);
  });

  it("never waits on lsof in the app's scans: the folder is read in the background, the pytest listed at the next scan", async () => {
    const lsofLog = path.join(tempDir(), 'lsof.log');
    setEnv({ FAKE_PS_DIR: path.join(FIXTURES, 'exec-after'), FAKE_LSOF_LOG: lsofLog });
    const source = createDarwinSource({ ps: PS, lsof: LSOF });
    const scanner = new Scanner(source, { uid: undefined, nonBlockingCwd: true });
    const roots = ['/Users/x/bbia'];
    // Judged without its folder while lsof runs: not listed yet (a blocking read would list it at once)
    expect(scanner.scan({ projectRoots: roots }).bbia.find((p) => p.pid === 5120)).toBeUndefined();
    expect(await source.cwdAsync!(5120)).toBe('/Users/x/bbia');
    expect(scanner.scan({ projectRoots: roots }).bbia.find((p) => p.pid === 5120)?.kind).toBe('test');
    expect(scanner.scan({ projectRoots: roots }).bbia.find((p) => p.pid === 5120)?.kind).toBe('test');
    expect(lines(lsofLog).toSorted()).toEqual(['4711', '5120']);
  });

  it('reads it without blocking (one lsof for callers that ask at once), and the sync read then uses it', async () => {
    const lsofLog = path.join(tempDir(), 'lsof.log');
    setEnv({ FAKE_PS_DIR: path.join(FIXTURES, 'exec-after'), FAKE_LSOF_LOG: lsofLog });
    const source = createDarwinSource({ ps: PS, lsof: LSOF });
    source.list();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const both = await Promise.all([source.cwdAsync!(5120), source.cwdAsync!(5120)]);
    clearInterval(timer);
    expect(both).toEqual(['/Users/x/bbia', '/Users/x/bbia']);
    // The event loop kept turning while lsof ran
    expect(ticks).toBeGreaterThan(0);
    expect(source.cwd(5120)).toBe('/Users/x/bbia');
    expect(await source.cwdAsync!(4711)).toBeUndefined();
    expect(source.cwd(4711)).toBeUndefined();
    expect(lines(lsofLog)).toEqual(['5120', '4711']);
  });
});

describe('the CPU clock check (issue 11, point 11)', () => {
  /** Burns CPU until this process has used at least `seconds`, so that the check can decide. */
  function burn(seconds: number): void {
    while (ownCpuSeconds() < seconds) for (let i = 0; i < 1e5; i++) Math.sqrt(i);
  }

  it('scales CPU times when ps reads about 41x low (Mach ticks taken for nanoseconds)', () => {
    burn(0.3);
    setEnv({ FAKE_PS_DIR: path.join(FIXTURES, 'cpu'), FAKE_PS_SELF_PID: String(process.pid), FAKE_PS_SELF_CPU: String(ownCpuSeconds() / MACH_TICK_SCALE) });
    const source = createDarwinSource({ ps: PS });
    const verdict = checkCpuClock(source)!;
    expect(verdict).toMatchObject({ kind: 'mach-ticks', scale: MACH_TICK_SCALE });
    expect(verdict.kind === 'mach-ticks' && verdict.message).toMatch(/Mach ticks/);
    const robot = source.list().find((p) => p.pid === 7001)!;
    expect(robot.cpuSeconds).toBeCloseTo(3.1 * MACH_TICK_SCALE, 5);
  });

  it('leaves CPU times alone when ps agrees, and warns (without scaling) when it disagrees otherwise', () => {
    burn(0.3);
    setEnv({ FAKE_PS_DIR: path.join(FIXTURES, 'cpu'), FAKE_PS_SELF_PID: String(process.pid), FAKE_PS_SELF_CPU: String(ownCpuSeconds()) });
    const agreeing = createDarwinSource({ ps: PS });
    expect(checkCpuClock(agreeing)).toMatchObject({ kind: 'agrees', scale: 1 });
    expect(agreeing.list().find((p) => p.pid === 7001)!.cpuSeconds).toBeCloseTo(3.1, 5);

    setEnv({ FAKE_PS_SELF_CPU: String(ownCpuSeconds() / 5) });
    const odd = checkCpuClock(createDarwinSource({ ps: PS }))!;
    expect(odd).toMatchObject({ kind: 'disagrees', scale: 1 });
    expect(odd.kind === 'disagrees' && odd.message).toMatch(/may be wrong/);
  });

  it('waits for enough CPU to tell, and reads procps-style whole seconds with their own slack', () => {
    expect(judgeCpuClock(0, 0.01, 0.011).kind).toBe('undecided');
    expect(judgeCpuClock(0.5, 0.5, 0.51).kind).toBe('agrees');
    expect(judgeCpuClock(0.01, 0.5, 0.51).kind).toBe('mach-ticks');
    // procps prints 00:00:01: a second of resolution cannot tell 0.8 s from 0.02 s
    expect(judgeCpuClock(0, 0.8, 0.81, 1).kind).toBe('undecided');
    expect(judgeCpuClock(30, 30.2, 30.3, 1).kind).toBe('agrees');
  });
});

describe('the macOS reader: the instance mark at stop time, from one `ps -E` (issue 12, point 1)', () => {
  const MARK = 'BBIA_SAFE_INSTANCE=6000:1796116800';

  it('finds the processes whose environment holds the mark exactly, never an argument that spells it', () => {
    const log = path.join(tempDir(), 'ps.log');
    setEnv({ FAKE_PS_DIR: path.join(FIXTURES, 'environ'), FAKE_PS_LOG: log });
    const source = createDarwinSource({ ps: PS });
    // The ps lists itself (the last line of list.txt): left out, and its command line never read
    expect(source.list().map((p) => p.pid).toSorted((a, b) => a - b)).toEqual([1, 412, 4691, 6000, 6001, 6002, 6050, 6051, 6060, 6070]);
    expect(lines(log)).toEqual([`-axww -o ${PS_FIELDS}`, `-ww -o pid=,command= -p 1,412,4691,6000,6001,6002,6050,6051,6060,6070`]);
    const before = lines(log).length;
    // The robot, its helper and the daemonized descendant; not grep 6060 (its argument), not 6070 (another start time)
    expect([...source.withEnv!(MARK)].toSorted()).toEqual([6001, 6002, 6050]);
    // One ps for every environment, with -E
    expect(lines(log).slice(before)).toEqual([`-xwwE -U ${process.getuid!()} -o pid=,command=`]);
  });

  it('gives the stop the escaped tree: the daemon found by its mark, with its child that prints no environment', () => {
    setEnv({ FAKE_PS_DIR: path.join(FIXTURES, 'environ') });
    const source = createDarwinSource({ ps: PS });
    const robot = { pid: 6001, startKey: utc('2026-12-01T09:20:01Z') };
    const tree = collectTree(source, robot, [], undefined, MARK).map((p) => p.pid).toSorted();
    expect(tree).toEqual([6001, 6002, 6050, 6051]);
    // Without the mark, only the tree under the robot: the daemon left it
    expect(collectTree(source, robot, []).map((p) => p.pid).toSorted()).toEqual([6001, 6002]);
  });

  it('skips a line whose command line is unknown rather than guess where the environment starts', () => {
    const out = ' 6060 grep BBIA_SAFE_INSTANCE=6000:1796116800 robot.log\n 6050 python3 -m bbia_sim.daemon BBIA_SAFE_INSTANCE=6000:1796116800\n';
    const commands: Record<number, string> = { 6060: 'grep BBIA_SAFE_INSTANCE=6000:1796116800 robot.log' };
    expect([...pidsCarrying(out, MARK, (pid) => commands[pid])]).toEqual([]);
    commands[6050] = 'python3 -m bbia_sim.daemon';
    expect([...pidsCarrying(out, MARK, (pid) => commands[pid])]).toEqual([6050]);
    // A command line read as empty: its arguments are not an environment
    commands[6060] = '';
    expect([...pidsCarrying(out, MARK, (pid) => commands[pid])]).toEqual([6050]);
  });
});

describe('the macOS reader: a ps that cannot run (issue 12, review)', () => {
  it('throws, naming ps and what to do, rather than report every process gone (a live lock owner would look dead)', () => {
    const source = createDarwinSource({ ps: path.join(tempDir(), 'no-such-ps') });
    expect(() => source.read(process.pid)).toThrow(BbiaError);
    expect(() => source.list()).toThrow(/could not run .*no-such-ps: .*ENOENT/);
    try {
      source.read(process.pid);
    } catch (error) {
      expect((error as BbiaError).hint).toMatch(/nothing was signalled/);
    }
  });

  it('still reads a -p list that matched nothing (ps exits 1) as no process', () => {
    setEnv({ FAKE_PS_DIR: path.join(FIXTURES, 'environ') });
    expect(createDarwinSource({ ps: PS }).read(999_999)).toBeUndefined();
  });
});
