import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { MachineSample } from './history.js';

/** How often the memory in use is read again: it moves slowly, and on macOS reading it forks `vm_stat`. */
export const MEMORY_EVERY_MS = 30_000;

/** CPU times summed over every core, ms: busy and idle. */
type CpuTimes = { busy: number; idle: number };

/** The machine's CPU times now, from `os.cpus()` (no fork, no file on either platform). */
export function cpuTimes(cpus: readonly os.CpuInfo[] = os.cpus()): CpuTimes {
  let busy = 0;
  let idle = 0;
  for (const c of cpus) {
    busy += c.times.user + c.times.nice + c.times.sys + c.times.irq;
    idle += c.times.idle;
  }
  return { busy, idle };
}

/** Memory in use on Linux, bytes: MemTotal - MemAvailable of /proc/meminfo (what `free` calls used). */
export function parseMeminfo(text: string): number | undefined {
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]);
  const used = (kb('MemTotal') - kb('MemAvailable')) * 1024;
  return Number.isFinite(used) ? used : undefined;
}

/**
 * Memory in use on macOS, bytes, from `vm_stat`: app memory (anonymous - purgeable) + wired + compressed,
 * as Activity Monitor's "Memory Used" and systeminformation's `mem().active` count it.
 */
export function parseVmStat(text: string): number | undefined {
  const pageSize = Number(/page size of (\d+) bytes/.exec(text)?.[1]);
  const pages = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\.`, 'm').exec(text)?.[1] ?? 0);
  const used = (pages('Anonymous pages') - pages('Pages purgeable') + pages('Pages wired down') + pages('Pages occupied by compressor')) * pageSize;
  return Number.isFinite(used) && used > 0 ? used : undefined;
}

/** Reads the memory in use without blocking: a small file on Linux, one `vm_stat` (asynchronous) on macOS. */
function readMemory(platform: NodeJS.Platform): Promise<number | undefined> {
  if (platform === 'darwin') {
    return new Promise((resolve) => {
      execFile('/usr/bin/vm_stat', { timeout: 5000, env: { ...process.env, LC_ALL: 'C' } }, (error, stdout) => resolve(error ? undefined : parseVmStat(stdout)));
    });
  }
  return fs.promises.readFile('/proc/meminfo', 'latin1').then(parseMeminfo, () => undefined);
}

/**
 * Whole-machine CPU % and memory in use, for the app's poll and `status --watch`: CPU from the deltas of
 * `os.cpus()` between two samples (the first one over the time since boot), every sample; memory only
 * while someone looks (the popover shown, `status --watch`): at once when looking starts, then every
 * {@link MEMORY_EVERY_MS}. No sample forks for the CPU; on macOS a looked-at one in fifteen (at 2 s)
 * forks `vm_stat`, a hidden one never.
 */
export class MachineSampler {
  #last: CpuTimes | undefined;
  #usedMB: number | undefined;
  #memoryAt = -Infinity;
  #looked = false;
  readonly #memory: () => Promise<number | undefined>;
  readonly #cpus: () => readonly os.CpuInfo[];

  /** A sampler for this machine (`cpus` and `memory`, the readers, for tests). */
  constructor(options: { platform?: NodeJS.Platform; cpus?: () => readonly os.CpuInfo[]; memory?: () => Promise<number | undefined> } = {}) {
    const platform = options.platform ?? process.platform;
    this.#memory = options.memory ?? (() => readMemory(platform));
    this.#cpus = options.cpus ?? os.cpus;
  }

  /** One sample (the memory read again only while `looking`); undefined when neither figure can be read. */
  async sample(now = Date.now(), looking = true): Promise<MachineSample | undefined> {
    const times = cpuTimes(this.#cpus());
    const prev = this.#last ?? { busy: 0, idle: 0 };
    this.#last = times;
    const busy = times.busy - prev.busy;
    const total = busy + times.idle - prev.idle;
    const lookStarts = looking && !this.#looked;
    this.#looked = looking;
    if (looking && (lookStarts || now - this.#memoryAt >= MEMORY_EVERY_MS)) {
      this.#memoryAt = now;
      const used = await this.#memory();
      if (used !== undefined) this.#usedMB = Math.round(used / (1024 * 1024));
    }
    if (total <= 0 && this.#usedMB === undefined) return undefined;
    return { cpu: total > 0 ? Math.round((busy * 1000) / total) / 10 : 0, usedMB: this.#usedMB ?? 0 };
  }

  /** True when the memory figure was read within {@link MEMORY_EVERY_MS} of `now`: a hidden poll's is older. */
  memoryFresh(now = Date.now()): boolean {
    return this.#usedMB !== undefined && now - this.#memoryAt <= MEMORY_EVERY_MS;
  }
}
