import fs from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { MachineSampler, MEMORY_EVERY_MS, parseMeminfo, parseVmStat } from '../main/engine/monitor/machine.js';

// `vm_stat` on an Apple-silicon Mac (16 KiB pages), the lines the parser reads and the ones around them
const VM_STAT = `Mach Virtual Memory Statistics: (page size of 16384 bytes)
Pages free:                               12345.
Pages active:                            400000.
Pages inactive:                          380000.
Pages speculative:                         9000.
Pages throttled:                              0.
Pages wired down:                        150000.
Pages purgeable:                          20000.
"Translation faults":                 987654321.
File-backed pages:                       300000.
Anonymous pages:                         480000.
Pages stored in compressor:              200000.
Pages occupied by compressor:             70000.
`;

const core = (busy: number, idle: number) => ({ model: 'x', speed: 1, times: { user: busy, nice: 0, sys: 0, irq: 0, idle } });

describe('machine totals without a fork per poll', () => {
  it('takes CPU % from the deltas of the cores\' times between two samples', async () => {
    let cpus = [core(100, 900), core(100, 900)];
    const sampler = new MachineSampler({ cpus: () => cpus });
    await sampler.sample(0);
    cpus = [core(250, 950), core(100, 1000)];
    // busy +150, idle +150 over both cores: 50 %
    expect((await sampler.sample(2000))?.cpu).toBe(50);
  });

  it('reads the memory in use again only every 30 s', async () => {
    let reads = 0;
    const sampler = new MachineSampler({ memory: async () => ++reads * 1024 * 1024 * 1024 });
    expect((await sampler.sample(0))?.usedMB).toBe(1024);
    expect((await sampler.sample(MEMORY_EVERY_MS - 1))?.usedMB).toBe(1024);
    expect((await sampler.sample(MEMORY_EVERY_MS))?.usedMB).toBe(2048);
    expect(reads).toBe(2);
  });

  it('reads the memory only while someone looks: at once when looking starts, never while nobody does', async () => {
    let reads = 0;
    let cpus = [core(100, 900)];
    const sampler = new MachineSampler({ cpus: () => cpus, memory: async () => ++reads * 1024 * 1024 * 1024 });
    // Hidden from the start: CPU every sample, no memory read (no vm_stat on macOS)
    await sampler.sample(0, false);
    cpus = [core(200, 1100)];
    expect(await sampler.sample(MEMORY_EVERY_MS * 3, false)).toEqual({ cpu: expect.closeTo(33.3, 1), usedMB: 0 });
    expect(reads).toBe(0);
    expect(sampler.memoryFresh(MEMORY_EVERY_MS * 3)).toBe(false);
    // Shown: read at once, then every 30 s
    expect((await sampler.sample(MEMORY_EVERY_MS * 3 + 1, true))?.usedMB).toBe(1024);
    expect((await sampler.sample(MEMORY_EVERY_MS * 3 + 2000, true))?.usedMB).toBe(1024);
    expect(sampler.memoryFresh(MEMORY_EVERY_MS * 3 + 2000)).toBe(true);
    // Hidden, then shown again 4 s later: read again at once, not 30 s after the last read
    await sampler.sample(MEMORY_EVERY_MS * 3 + 4000, false);
    expect((await sampler.sample(MEMORY_EVERY_MS * 3 + 6000, true))?.usedMB).toBe(2048);
    expect(reads).toBe(2);
    // A figure nobody refreshed for longer than 30 s is no longer fresh (the history shows a gap)
    await sampler.sample(MEMORY_EVERY_MS * 5, false);
    expect(sampler.memoryFresh(MEMORY_EVERY_MS * 5)).toBe(false);
  });

  it('reads this machine\'s memory in use for real', async () => {
    expect((await new MachineSampler().sample())?.usedMB).toBeGreaterThan(0);
  });

  it('reads /proc/meminfo on Linux as `free` does (total - available)', () => {
    expect(parseMeminfo('MemTotal:       24576000 kB\nMemFree:  100 kB\nMemAvailable:   20480000 kB\n')).toBe(4096000 * 1024);
    expect(parseMeminfo('garbage')).toBeUndefined();
    if (process.platform === 'linux') expect(parseMeminfo(fs.readFileSync('/proc/meminfo', 'latin1'))).toBeLessThanOrEqual(os.totalmem());
  });

  it("reads vm_stat on macOS as Activity Monitor's Memory Used: app memory + wired + compressed", () => {
    expect(parseVmStat(VM_STAT)).toBe((480000 - 20000 + 150000 + 70000) * 16384);
    expect(parseVmStat('vm_stat: command failed')).toBeUndefined();
  });
});
