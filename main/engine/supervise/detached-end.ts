// Node's part of a detached instance once the detached supervisor (supervise/detached/supervisor.py) holds it: the upkeep and the end,
// each run by the detached supervisor as its child. Loaded on demand: it brings proper-lockfile (lock.ts).
import type { EngineLog } from '../../../common/i18n/engine-text.js';
import type { DetachedEnd, DetachedState } from './detached.js';
import { keepLock, releaseLock } from '../lock/lock.js';
import { capLog } from './log-file.js';
import type { Paths } from '../paths.js';
import { removePidfileIf } from '../lock/pidfile.js';
import { isAlive, type ProcIdentity, type ProcSource } from '../scan/proc/types.js';
import { instanceMark, stopTree } from './stop-tree.js';
import { settleExit } from './settle-exit.js';
import type { SupervisionEnd } from './supervisor.js';

/**
 * The orphans of the robot's tree that the detached supervisor adopted as its subreaper (Linux: its children but the
 * robot and this end), read through the engine's reader; none where the reader lists no children.
 */
function adopted(source: ProcSource, state: DetachedState): ProcIdentity[] {
  const { supervisorPid, supervisorStartKey } = state.record;
  const supervisor = source.read(supervisorPid);
  if (!source.children || !supervisor || supervisor.startKey !== supervisorStartKey) return [];
  return source
    .children(supervisor.pid)
    .filter((child) => child !== process.pid && child !== state.robot.pid)
    .flatMap((child) => {
      const entry = source.read(child);
      return entry ? [{ pid: entry.pid, startKey: entry.startKey }] : [];
    });
}

/**
 * `__supervisor-upkeep`: run by the detached supervisor when the lock is gone or the robot log is over its cap. The same
 * functions as the Node supervisors' tick: the lock re-created with the same owner while the robot runs
 * (keepLock), the log capped (capLog).
 */
export async function upkeepDetached(deps: { paths: Paths; source: ProcSource; log: EngineLog }, state: DetachedState): Promise<void> {
  capLog(state.robotLog, state.logMaxBytes);
  await keepLock(deps.paths, state.token, deps.log, () => isAlive(deps.source, state.robot));
}

/**
 * `__supervisor-end`: Node's part of the end of a detached instance, run by the detached supervisor as its child. A stop
 * signal stops the whole tree; an exit is settled as the Node supervisor settles it. Then the pidfile
 * and the lock go, if they are still this instance's.
 */
export async function endDetached(deps: { paths: Paths; source: ProcSource; log: (message: string) => void }, state: DetachedState, end: DetachedEnd): Promise<SupervisionEnd> {
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
  await releaseLock(paths, state.token);
  return result;
}
