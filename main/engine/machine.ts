import type { MachineSample } from './history.js';

/** Whole-machine CPU % and memory in use, from systeminformation (what it does well: machine totals). */
export async function sampleMachine(): Promise<MachineSample | undefined> {
  try {
    // Loaded on demand, by the app and `status --watch` only
    const { default: si } = await import('systeminformation');
    const [load, mem] = await Promise.all([si.currentLoad(), si.mem()]);
    return { cpu: Math.round(load.currentLoad * 10) / 10, usedMB: Math.round(mem.active / (1024 * 1024)) };
  } catch {
    return undefined;
  }
}
