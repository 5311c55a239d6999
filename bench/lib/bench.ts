// The shape of one benchmark, as bench/index.ts runs it.
import type { RunInfo } from './env.ts';
import type { SummaryRow } from './stats.ts';

/** One benchmark: prints its block, returns its lines of the summary. */
export interface Bench {
  /** Name to run it alone: `node bench/index.ts NAME`. */
  name: string;
  /** One line on what it measures. */
  title: string;
  /** True when it starts robots: it then runs holding the machine's robot turn (scripts/robot-turn.mjs). */
  robots: boolean;
  /** Rough duration of a full run, seconds (shown before it starts). */
  seconds: number;
  /** Run only when named (long runs, such as the soak). */
  explicit?: boolean;
  /** Runs in the macOS mode too (PS_MODE): it needs no /proc. */
  portable?: boolean;
  /** Runs it and returns its summary rows. */
  run(run: RunInfo): Promise<SummaryRow[]>;
}
