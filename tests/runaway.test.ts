import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createProcSource } from '../main/engine/scan/proc/source.js';
import { RunawayDetector } from '../main/engine/monitor/runaway.js';
import type { BbiaProcess } from '../main/engine/scan/scan.js';
import { SETTINGS_MIGRATIONS } from '../main/engine/settings/migrate.js';
import { DEFAULT_SETTINGS, type RunawaySettings } from '../main/engine/settings/schema.js';
import { track } from './helpers.js';

const MB = 1024 * 1024;

/** A synthetic scan entry. */
function proc(kind: BbiaProcess['kind'], cpu: number, memMB = 50, pid = 100): BbiaProcess {
  return { pid, ppid: 1, pgid: pid, startKey: `k${pid}`, kind, locked: kind === 'robot', cpu, memRss: memMB * MB, startedAt: 0, command: `${kind} ${pid}` } as BbiaProcess;
}

/** Feeds the same figures every 2 s for `seconds`; returns every runaway that started. */
function feed(detector: RunawayDetector, seconds: number, processes: BbiaProcess[]) {
  const started = [];
  let current: ReturnType<RunawayDetector['update']>['current'] = [];
  for (let t = 0; t <= seconds * 1000; t += 2000) {
    const r = detector.update(t, processes);
    started.push(...r.started);
    current = r.current;
  }
  return { started, current };
}

describe('runaway defaults that fit the real project', () => {
  const defaults = DEFAULT_SETTINGS.runaway;

  it('a robot at one core flat out (the real launcher headless) is never a runaway, however long it runs, in any mode', () => {
    const detector = new RunawayDetector(defaults);
    // 99-112 %: one core, plus what a sample over an interval adds
    const { started } = feed(detector, 3600, [proc('robot', 100), proc('simulator', 108, 50, 101)]);
    expect(started).toEqual([]);
    expect(feed(new RunawayDetector(defaults), 3600, [proc('robot', 73.6)]).started).toEqual([]);
  });

  it('a robot above one core for the sustained time is one, judged against its own threshold', () => {
    const { started } = feed(new RunawayDetector(defaults), defaults.sustainSeconds + 10, [proc('robot', 190)]);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ reason: 'cpu', cpuLimit: defaults.robotCpuPercent });
  });

  it('a leftover test or server busy for minutes is one; the same for less than the sustained time is not', () => {
    const busy = [proc('test', 99, 50, 200), proc('server', 95, 50, 201)];
    expect(feed(new RunawayDetector(defaults), defaults.sustainSeconds - 10, busy).started).toEqual([]);
    const { started } = feed(new RunawayDetector(defaults), defaults.sustainSeconds + 10, busy);
    expect(started.map((r) => [r.process.pid, r.reason, r.cpuLimit])).toEqual([
      [200, 'cpu', 90],
      [201, 'cpu', 90],
    ]);
  });

  it('memory beyond the limit is one at once, for the robot too', () => {
    const { started } = feed(new RunawayDetector(defaults), 0, [proc('robot', 50, defaults.memoryMB + 1)]);
    expect(started.map((r) => r.reason)).toEqual(['memory']);
  });

  it('one notification per episode: the episode ends under the threshold, a new one starts again', () => {
    const detector = new RunawayDetector({ ...defaults, sustainSeconds: 2 });
    expect(feed(detector, 4, [proc('test', 99)]).started).toHaveLength(1);
    expect(detector.update(10_000, [proc('test', 99)]).started).toEqual([]);
    expect(detector.update(12_000, [proc('test', 5)]).current).toEqual([]);
    detector.update(14_000, [proc('test', 99)]);
    expect(detector.update(16_000, [proc('test', 99)]).started).toHaveLength(1);
  });

  it('a file without the robot threshold (older than 0.2.0) judges the robot against the default one', () => {
    const old: RunawaySettings = { cpuPercent: 50, sustainSeconds: 2, memoryMB: 2048 };
    expect(feed(new RunawayDetector(old), 10, [proc('robot', 100)]).started).toEqual([]);
    expect(feed(new RunawayDetector(old), 10, [proc('test', 60)]).started).toHaveLength(1);
  });

  it('a real busy loop measured over an interval: a runaway as a test, never as the robot', async () => {
    const child = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
    track(child.pid!);
    try {
      const source = createProcSource();
      const first = source.read(child.pid!)!;
      const t0 = Date.now();
      await delay(1500);
      const second = source.read(child.pid!)!;
      const cpu = ((second.cpuSeconds - first.cpuSeconds) / ((Date.now() - t0) / 1000)) * 100;
      // One thread can use one core at most: a shared machine may give it less, never more
      expect(cpu).toBeLessThan(defaults.robotCpuPercent!);
      const measured = (kind: BbiaProcess['kind']) => ({ ...proc(kind, cpu, second.rss / MB, child.pid!), startKey: second.startKey });
      const thresholds = { ...defaults, cpuPercent: Math.min(30, cpu / 2), sustainSeconds: 1 };
      expect(feed(new RunawayDetector(thresholds), 4, [measured('robot')]).started).toEqual([]);
      expect(feed(new RunawayDetector(thresholds), 4, [measured('test')]).started).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('the 0.2.0 settings migration', () => {
  const migrate = (doc: Record<string, unknown>) => SETTINGS_MIGRATIONS[2]!(doc);
  it('thresholds still at the old defaults take the new ones', () => {
    expect(migrate({ runaway: { cpuPercent: 90, sustainSeconds: 60, memoryMB: 2048 }, python: 'py' })).toEqual({ runaway: DEFAULT_SETTINGS.runaway, python: 'py' });
  });
  it('thresholds the user chose are kept and gain the robot\'s', () => {
    expect(migrate({ runaway: { cpuPercent: 70, sustainSeconds: 30, memoryMB: 1024 } })).toEqual({ runaway: { cpuPercent: 70, sustainSeconds: 30, memoryMB: 1024, robotCpuPercent: 130 } });
  });
  it('a file without thresholds is left alone', () => {
    expect(migrate({ python: 'py' })).toEqual({ python: 'py' });
  });
});
