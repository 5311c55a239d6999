import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { Supervision } from './supervisor.js';

/**
 * How long a detached start watches a silent new robot before it says the robot started: one second. The
 * real launcher fails fast when it fails at start (a missing `--model` file, MuJoCo not installed, a bad
 * flag for argparse): it logs the error and exits. Its path (argparse, logging.error, sys.exit(1)) printed
 * its error line 180 to 530 ms after the spawn on this 2-core Linux under load, and exited 12 to 40 ms
 * later: well inside a second. What fails later is for `status` and the log to tell. A second also keeps
 * `start --detach` from feeling slow.
 */
export const SETTLE_MS = 1000;

/**
 * Once the robot wrote its first output, how much longer it must live to count as started. Its first line
 * is often its last when it fails: the real launcher's missing-model error is a log line, then `sys.exit(1)`,
 * whose interpreter shutdown took 12 to 40 ms (above); 250 ms covers that six times over.
 */
export const SETTLE_AFTER_OUTPUT_MS = 250;

/** How often the log's size is checked while settling (a stat, every 20 ms, for at most a second). */
const SETTLE_POLL_MS = 20;

/** How a settle ended: the robot runs, or it ended (or a stop began) during the settle time. */
export type Settled = 'running' | 'over';

/**
 * Waits out the settle time of a new robot: {@link SETTLE_MS} while it is silent, or {@link SETTLE_AFTER_OUTPUT_MS}
 * after its first output (so a first line near the end of the second is still followed by the grace). Resolves
 * `over` as soon as the robot exits or a stop begins; the caller then reads how it ended from `sup.done`.
 */
export async function awaitSettle(sup: Supervision, logFile: string, limits = { settleMs: SETTLE_MS, afterOutputMs: SETTLE_AFTER_OUTPUT_MS }): Promise<Settled> {
  const started = Date.now();
  let ended = false;
  void sup.done.then(
    () => (ended = true),
    () => (ended = true),
  );
  let firstOutput: number | undefined;
  for (;;) {
    if (ended || sup.over()) return 'over';
    const now = Date.now();
    if (firstOutput === undefined && logSize(logFile) !== sup.logStart) firstOutput = now;
    if (firstOutput === undefined ? now - started >= limits.settleMs : now - firstOutput >= limits.afterOutputMs) return 'running';
    await delay(SETTLE_POLL_MS);
  }
}

/** The robot log's size now (-1 when it cannot be read: counted as output, the log having moved). */
function logSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return -1;
  }
}
