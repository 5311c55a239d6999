import fs from 'node:fs';
import path from 'node:path';
import type { Paths } from '../paths.js';
import type { ProcIdentity } from '../scan/proc/types.js';
import { readNoFollow, writeAtomic } from '../safe-fs.js';

function file(paths: Paths): string {
  return path.join(paths.stateDir, 'stop-request.json');
}

/** Tells the robot's supervisor that the stop it is about to see was asked for (`bbia-safe stop`, kill-all, the app). */
export function writeStopRequest(paths: Paths, robot: ProcIdentity, by: string): void {
  try {
    fs.mkdirSync(paths.stateDir, { recursive: true, mode: 0o700 });
    writeAtomic(file(paths), JSON.stringify({ pid: robot.pid, startKey: robot.startKey, by }));
  } catch {
    // best effort: without it the supervisor reports the end as an exit on its own
  }
}

/** Takes the stop request for `robot`, if one was made (and removes it); returns who asked. */
export function takeStopRequest(paths: Paths, robot: ProcIdentity): string | undefined {
  const read = readNoFollow(file(paths));
  if (read.kind !== 'text') return undefined;
  try {
    const r = JSON.parse(read.text) as { pid?: number; startKey?: string; by?: string };
    if (r.pid !== robot.pid || r.startKey !== robot.startKey) return undefined;
    fs.rmSync(file(paths), { force: true });
    return typeof r.by === 'string' ? r.by : 'stop';
  } catch {
    return undefined;
  }
}
