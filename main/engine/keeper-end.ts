// Node's part of a detached instance once the waiter (keeper/waiter.py) holds it: the upkeep and the end,
// each run by the waiter as its child. Loaded on demand: it brings proper-lockfile (lock.ts).
import type { EngineLog } from '../i18n/engine-text.js';
import type { KeeperEnd, KeeperState } from './keeper.js';
import { releaseOwned } from './lock-files.js';
import { keepLock } from './lock.js';
import { capLog } from './log-file.js';
import type { Paths } from './paths.js';
import { removePidfileIf } from './pidfile.js';
import { isAlive, type ProcIdentity, type ProcSource } from './proc/types.js';
import { instanceMark, stopTree } from './stop-tree.js';
import { settleExit } from './settle-exit.js';
import type { SupervisionEnd } from './supervisor.js';

/**
 * The orphans of the robot's tree that the waiter adopted as its subreaper (Linux: its children but the
 * robot and this end), read through the engine's reader; none where the reader lists no children.
 */
function adopted(source: ProcSource, state: KeeperState): ProcIdentity[] {
  const [pid, startKey] = state.token.split(' ');
  const waiter = source.read(Number(pid));
  if (!source.children || !waiter || waiter.startKey !== startKey) return [];
  return source
    .children(waiter.pid)
    .filter((child) => child !== process.pid && child !== state.robot.pid)
    .flatMap((child) => {
      const entry = source.read(child);
      return entry ? [{ pid: entry.pid, startKey: entry.startKey }] : [];
    });
}

/**
 * `__keeper-upkeep`: run by the waiter when the lock is gone or the robot log is over its cap. The same
 * functions as the Node supervisors' tick: the lock re-created with the same owner while the robot runs
 * (keepLock), the log capped (capLog).
 */
export async function upkeepKept(deps: { paths: Paths; source: ProcSource; log: EngineLog }, state: KeeperState): Promise<void> {
  capLog(state.robotLog, state.logMaxBytes);
  await keepLock(deps.paths, state.token, deps.log, () => isAlive(deps.source, state.robot));
}

/**
 * `__keeper-end`: Node's part of the end of a kept instance, run by the waiter as its child. A stop
 * signal stops the whole tree; an exit is settled as the Node supervisor settles it. Then the pidfile
 * and the lock go, if they are still this instance's.
 */
export async function endKept(deps: { paths: Paths; source: ProcSource; log: (message: string) => void }, state: KeeperState, end: KeeperEnd): Promise<SupervisionEnd> {
  const { paths, source, log } = deps;
  const tracked = [...state.tracked, ...adopted(source, state)];
  let result: SupervisionEnd;
  if (end.reason === 'signal') {
    log(`stopping on ${end.signal}`);
    const report = await stopTree(source, state.robot, { timeoutMs: state.stopTimeoutMs, tracked, mark: instanceMark(state.record) });
    result = { exitCode: null, signal: null, stoppedBy: end.signal, report };
  } else {
    const how = { exitCode: end.exitCode, signal: end.signal };
    result = { ...how, ...(await settleExit(deps, { child: state.robot, record: state.record, tracked, stopTimeoutMs: state.stopTimeoutMs }, how)) };
  }
  removePidfileIf(paths.pidFile, state.ownText);
  releaseOwned(paths.lockFile, state.token);
  return result;
}
