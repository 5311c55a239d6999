import type { Paths } from '../paths.js';
import { isTimedRun, writeLastExit } from './last-exit.js';
import { tailRun } from './log-file.js';
import type { InstanceRecord } from '../lock/pidfile.js';
import type { ProcIdentity, ProcSource } from '../scan/proc/types.js';
import { takeStopRequest } from './stop-request.js';
import { instanceMark, stopTree, type StopReport } from './stop-tree.js';

/** What {@link settleExit} works on. */
export interface Exited {
  /** The robot. */
  child: ProcIdentity;
  /** Its pidfile record. */
  record: InstanceRecord;
  /** Descendants remembered while it ran. */
  tracked: ProcIdentity[];
  /** Grace period of the stop that ends what it left. */
  stopTimeoutMs: number;
}

/**
 * Settles a robot that ended without this supervisor stopping it: a stop asked from outside (`bbia-safe stop`,
 * the app), or an exit on its own, which writes the exit report. Either way what it left behind is stopped.
 * Used by the Node supervisor and by the detached supervisor's end (detached.ts).
 */
export async function settleExit(
  deps: { paths: Paths; source: ProcSource; log: (message: string) => void },
  robot: Exited,
  how: { exitCode: number | null; signal: string | null },
): Promise<{ stoppedBy?: string; report?: StopReport; lastLines?: string[]; finished?: boolean }> {
  const { paths, source, log } = deps;
  const timeoutMs = Math.min(robot.stopTimeoutMs, 2000);
  const requested = takeStopRequest(paths, robot.child);
  if (requested) {
    log(`the robot was stopped from outside (${requested}); stopping what it left behind`);
    // Without the mark: the stopper finds the marked processes itself, and only it knows which of them
    // are its own line (a stop typed in a terminal the robot opened)
    return { stoppedBy: requested, report: await stopTree(source, robot.child, { timeoutMs, tracked: robot.tracked }) };
  }
  // This run's lines only: never an earlier run's end, which the same log holds above its header
  const lastLines = tailRun(paths.robotLog, 10);
  const finished = how.exitCode === 0 && isTimedRun(robot.record);
  writeLastExit(paths, { pid: robot.record.pid, mode: robot.record.mode, ...how, at: new Date().toISOString(), lastLines, finished });
  log(`the robot ${finished ? 'finished its run' : 'exited on its own'} (${how.exitCode ?? how.signal}); stopping what it left behind`);
  // Whatever the robot left behind goes with it: nothing stays running
  const report = await stopTree(source, robot.child, { timeoutMs, tracked: robot.tracked, mark: instanceMark(robot.record) });
  return { report, lastLines, finished };
}
