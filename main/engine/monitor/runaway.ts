import type { BbiaProcess } from '../scan/scan.js';
import { ROBOT_CPU_PERCENT, type RunawaySettings } from '../settings/schema.js';

/**
 * The kinds that run the MuJoCo loop: headless, the real launcher steps the physics flat out on one core
 * (scripts/launch_complete_robot.py, `_run_headless_continuous`), so 100 % is their normal run, never a runaway.
 */
export const SIMULATION_KINDS: ReadonlySet<string> = new Set(['robot', 'simulator']);

/** A process over a runaway threshold. */
export interface Runaway {
  /** `pid:startKey` of the process. */
  key: string;
  /** The process as last seen. */
  process: BbiaProcess;
  /** What it is over. */
  reason: 'cpu' | 'memory';
  /** When it went over, epoch ms. */
  since: number;
  /** The CPU threshold it was judged against (its kind's), % of one core. */
  cpuLimit: number;
}

/** The CPU threshold of one process: the robot's (above one core) for the simulation kinds, else the general one. */
export function cpuLimitOf(p: Pick<BbiaProcess, 'kind'>, thresholds: RunawaySettings): number {
  return SIMULATION_KINDS.has(p.kind) ? (thresholds.robotCpuPercent ?? ROBOT_CPU_PERCENT) : thresholds.cpuPercent;
}

/**
 * Finds runaways: above its kind's CPU threshold for the sustained time, or above the memory threshold;
 * one event per episode. A robot at one core is its normal run; a test or server busy for minutes,
 * a robot above one core, or any process past the memory limit is a runaway.
 */
export class RunawayDetector {
  #thresholds: RunawaySettings;
  readonly #aboveSince = new Map<string, number>();
  readonly #flagged = new Map<string, Runaway>();

  /** A detector on the settings' thresholds. */
  constructor(thresholds: RunawaySettings) {
    this.#thresholds = thresholds;
  }

  /** Changes the thresholds (the settings changed). */
  setThresholds(thresholds: RunawaySettings): void {
    this.#thresholds = thresholds;
  }

  /** Feeds one poll; returns every current runaway and the ones that just started (to notify once). */
  update(now: number, processes: readonly BbiaProcess[]): { current: Runaway[]; started: Runaway[] } {
    const { sustainSeconds, memoryMB } = this.#thresholds;
    const started: Runaway[] = [];
    const live = new Set<string>();
    for (const p of processes) {
      const key = `${p.pid}:${p.startKey}`;
      live.add(key);
      const cpuLimit = cpuLimitOf(p, this.#thresholds);
      if (p.cpu >= cpuLimit) {
        if (!this.#aboveSince.has(key)) this.#aboveSince.set(key, now);
      } else this.#aboveSince.delete(key);
      const cpuSince = this.#aboveSince.get(key);
      const overMemory = p.memRss >= memoryMB * 1024 * 1024;
      const overCpu = cpuSince !== undefined && now - cpuSince >= sustainSeconds * 1000;
      if (overMemory || overCpu) {
        const existing = this.#flagged.get(key);
        if (existing) existing.process = p;
        else {
          const r: Runaway = { key, process: p, reason: overCpu ? 'cpu' : 'memory', since: overCpu ? cpuSince! : now, cpuLimit };
          this.#flagged.set(key, r);
          started.push(r);
        }
      } else this.#flagged.delete(key);
    }
    for (const key of [...this.#aboveSince.keys(), ...this.#flagged.keys()]) {
      if (!live.has(key)) {
        this.#aboveSince.delete(key);
        this.#flagged.delete(key);
      }
    }
    return { current: [...this.#flagged.values()], started };
  }
}
