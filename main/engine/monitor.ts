import type { Engine, StatusReport } from './engine.js';
import { History, type MachineSample } from './history.js';
import { readLastExit, type LastExit } from './last-exit.js';
import { findLeftovers } from './leftovers.js';
import { MachineSampler } from './machine.js';
import { RunawayDetector, type Runaway } from './runaway.js';
import type { BbiaProcess } from './scan.js';

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
}

/** The poll loop of the app and of `status --watch`: one scan per tick, CPU over the interval between ticks. */
export class Monitor {
  /** CPU and RAM over the last 10 minutes. */
  readonly history: History;
  readonly #engine: Engine;
  readonly #runaways: RunawayDetector;
  readonly #machine: MachineSampler | undefined;
  /** A live view's lighter scan (scan.ts: REREAD_EVERY), where the caller asks for it. */
  readonly #rereadEvery: number | undefined;

  /** A monitor polling `engine` every `intervalMs` (the caller schedules the ticks). */
  constructor(engine: Engine, options: { intervalMs: number; machine?: boolean; rereadEvery?: number }) {
    this.#engine = engine;
    this.history = new History({ intervalMs: options.intervalMs });
    this.#runaways = new RunawayDetector(engine.settings.runaway);
    this.#machine = (options.machine ?? true) ? new MachineSampler() : undefined;
    this.#rereadEvery = options.rereadEvery;
  }

  /** Polls once. */
  async tick(): Promise<MonitorState> {
    const machine = await this.#machine?.sample();
    const { scan: _scan, inspection: _inspection, ...report } = this.#engine.snapshot({ rereadEvery: this.#rereadEvery });
    const at = Date.now();
    await this.#engine.addPorts(report.processes);
    this.history.record(report.processes, machine);
    this.#runaways.setThresholds(this.#engine.settings.runaway);
    const { current, started } = this.#runaways.update(at, report.processes);
    const leftovers = findLeftovers(report.processes, at, this.#engine.settings.leftoverMinutes * 60_000);
    const lastExit = report.instance ? undefined : readLastExit(this.#engine.paths);
    return { ...report, at, runaways: current, startedRunaways: started, leftovers, machine, lastExit };
  }
}
