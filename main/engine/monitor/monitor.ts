import type { Engine, StatusReport } from '../engine.js';
import { History, type MachineSample } from './history.js';
import { readLastExit, type LastExit } from '../supervise/last-exit.js';
import { findLeftovers } from './leftovers.js';
import { MachineSampler } from './machine.js';
import { RunawayDetector, type Runaway } from './runaway.js';
import type { ProcEntry } from '../scan/proc/types.js';
import type { BbiaProcess } from '../scan/scan.js';

/** Everything one poll knows: the status, its history, runaways, leftovers and the last exit. */
export interface MonitorState extends StatusReport {
  /** Poll time, epoch ms. */
  at: number;
  /** Processes over a runaway threshold now. */
  runaways: Runaway[];
  /** Runaways that started at this poll (notify once). */
  startedRunaways: Runaway[];
  /** Test, websocket and viewer processes outside the instance, older than the threshold. */
  leftovers: BbiaProcess[];
  /** Machine totals (machine.ts), when they could be read. */
  machine?: MachineSample;
  /** How the last robot that exited on its own ended (shown while no instance runs). */
  lastExit?: LastExit;
  /** True when someone looked at this poll: ports and memory were read (else ports are [] and memory is the last read). */
  looked: boolean;
}

/** Options of {@link Monitor}. */
export interface MonitorOptions {
  /** The poll interval, which sizes the history. */
  intervalMs: number;
  /** Sample the whole machine (machine.ts): true for this machine's sampler, or one to use; default true. */
  machine?: boolean | MachineSampler;
  /**
   * True while someone looks at what the poll shows (the app's popover; `status --watch` always): only then
   * are the ports (an lsof on macOS) and the machine's memory (a vm_stat) read. Default: always.
   */
  looking?: () => boolean;
  /** Hears every poll's whole process table, before anything else of the tick (the app's supervision: supervisor.ts `observe`). */
  observe?: (rows: readonly ProcEntry[]) => void;
  /** A live view re-reads a process already judged not BBIA only every this many scans (scan.ts); `status --watch` only. */
  rereadEvery?: number;
}

/**
 * The poll loop of the app and of `status --watch`: one scan per tick (one `ps` on macOS), CPU over the
 * interval between ticks; the rows it read go to `observe`. While nobody looks, a tick reads nothing else.
 */
export class Monitor {
  /** CPU and RAM over the last 10 minutes. */
  readonly history: History;
  readonly #engine: Engine;
  readonly #runaways: RunawayDetector;
  readonly #machine: MachineSampler | undefined;
  readonly #looking: () => boolean;
  readonly #observe: ((rows: readonly ProcEntry[]) => void) | undefined;
  /** A live view's lighter scan (scan.ts: REREAD_EVERY), where the caller asks for it. */
  readonly #rereadEvery: number | undefined;

  /** A monitor polling `engine` every `intervalMs` (the caller schedules the ticks). */
  constructor(engine: Engine, options: MonitorOptions) {
    this.#engine = engine;
    this.history = new History({ intervalMs: options.intervalMs });
    this.#runaways = new RunawayDetector(engine.settings.runaway);
    const machine = options.machine ?? true;
    this.#machine = machine === true ? new MachineSampler() : machine === false ? undefined : machine;
    this.#looking = options.looking ?? (() => true);
    this.#observe = options.observe;
    this.#rereadEvery = options.rereadEvery;
  }

  /** Polls once. */
  async tick(): Promise<MonitorState> {
    const looked = this.#looking();
    const sampled = Date.now();
    const machine = await this.#machine?.sample(sampled, looked);
    const { scan, inspection: _inspection, ...report } = this.#engine.snapshot({ rereadEvery: this.#rereadEvery });
    this.#observe?.(scan.all);
    const at = Date.now();
    if (looked) await this.#engine.addPorts(report.processes);
    // A memory figure nobody refreshed (the popover hidden) is a gap in the history, not a flat line
    const fresh = machine && !this.#machine!.memoryFresh(sampled) ? { ...machine, usedMB: Number.NaN } : machine;
    this.history.record(report.processes, fresh);
    this.#runaways.setThresholds(this.#engine.settings.runaway);
    const { current, started } = this.#runaways.update(at, report.processes);
    const leftovers = findLeftovers(report.processes, at, this.#engine.settings.leftoverMinutes * 60_000);
    const lastExit = report.instance ? undefined : readLastExit(this.#engine.paths);
    return { ...report, at, runaways: current, startedRunaways: started, leftovers, machine, lastExit, looked };
  }
}
