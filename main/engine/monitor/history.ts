import type { BbiaProcess } from '../scan/scan.js';

/** One series as drawn: CPU % and RSS MB per tick (NaN where the process did not exist yet). */
export interface Series {
  /** CPU % of one core per tick, oldest first. */
  cpu: number[];
  /** Resident memory per tick, MB, oldest first. */
  rssMB: number[];
}

/** Machine totals of one tick. */
export interface MachineSample {
  /** Whole-machine CPU %, 0-100. */
  cpu: number;
  /** Memory in use, MB. */
  usedMB: number;
}

interface Ring {
  cpu: Float32Array;
  rss: Float32Array;
  lastTick: number;
}

/**
 * CPU and RAM over a sliding window (10 minutes by default) in fixed-size rings: memory is bounded by
 * (maxSeries + 1) x 2 x 4 bytes x (window / interval), whatever the uptime (0.6 MB at the default 2 s poll, 1.2 MB at 1 s, 256 series).
 */
export class History {
  /** Samples kept per series. */
  readonly capacity: number;
  readonly #maxSeries: number;
  readonly #series = new Map<string, Ring>();
  readonly #machine: Ring;
  #tick = 0;

  /** A history of `windowMs` at one sample per `intervalMs`, holding at most `maxSeries` processes. */
  constructor(options: { windowMs?: number; intervalMs: number; maxSeries?: number }) {
    this.capacity = Math.max(2, Math.ceil((options.windowMs ?? 600_000) / Math.max(1, options.intervalMs)));
    this.#maxSeries = options.maxSeries ?? 256;
    this.#machine = this.#ring();
  }

  #ring(): Ring {
    return { cpu: new Float32Array(this.capacity).fill(Number.NaN), rss: new Float32Array(this.capacity).fill(Number.NaN), lastTick: -1 };
  }

  /** Records one poll; series of processes that are gone are dropped. */
  record(processes: readonly BbiaProcess[], machine?: MachineSample): void {
    const slot = this.#tick % this.capacity;
    const live = new Set<string>();
    for (const p of processes) {
      const key = `${p.pid}:${p.startKey}`;
      live.add(key);
      let ring = this.#series.get(key);
      if (!ring) {
        if (this.#series.size >= this.#maxSeries) continue;
        ring = this.#ring();
        this.#series.set(key, ring);
      }
      ring.cpu[slot] = p.cpu;
      ring.rss[slot] = p.memRss / (1024 * 1024);
      ring.lastTick = this.#tick;
    }
    for (const key of this.#series.keys()) if (!live.has(key)) this.#series.delete(key);
    this.#machine.cpu[slot] = machine?.cpu ?? Number.NaN;
    this.#machine.rss[slot] = machine?.usedMB ?? Number.NaN;
    this.#tick++;
    // Clear the next slot of every ring so a series never shows a sample from a lap ago
    const next = this.#tick % this.capacity;
    for (const ring of [...this.#series.values(), this.#machine]) {
      ring.cpu[next] = Number.NaN;
      ring.rss[next] = Number.NaN;
    }
  }

  #read(ring: Ring): Series {
    const n = Math.min(this.#tick, this.capacity);
    const cpu: number[] = [];
    const rssMB: number[] = [];
    for (let i = this.#tick - n; i < this.#tick; i++) {
      cpu.push(ring.cpu[i % this.capacity]!);
      rssMB.push(ring.rss[i % this.capacity]!);
    }
    return { cpu, rssMB };
  }

  /** The series of one process (`pid:startKey`), or undefined when it has none. */
  series(key: string): Series | undefined {
    const ring = this.#series.get(key);
    return ring ? this.#read(ring) : undefined;
  }

  /** The machine's series (CPU % in `cpu`, used MB in `rssMB`). */
  machine(): Series {
    return this.#read(this.#machine);
  }

  /** Bytes held by the sample buffers now, and at most. */
  bytes(): { now: number; max: number } {
    const per = this.capacity * 2 * 4;
    return { now: (this.#series.size + 1) * per, max: (this.#maxSeries + 1) * per };
  }
}

const BARS = '▁▂▃▄▅▆▇█';

/** A unicode sparkline of `values` scaled to `max` (or their own maximum); gaps are spaces. */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  const tail = values.slice(-width);
  const top = max ?? Math.max(1e-9, ...tail.filter((v) => !Number.isNaN(v)));
  return tail
    .map((v) => (Number.isNaN(v) ? ' ' : BARS[Math.min(BARS.length - 1, Math.max(0, Math.round((v / top) * (BARS.length - 1))))]))
    .join('')
    .padStart(width, ' ');
}
