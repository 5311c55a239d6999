import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { BbiaError, ExitCode, isErrno } from './errors.js';
import type { Paths } from './paths.js';
import type { EngineLog, TextRef } from '../i18n/engine-text.js';
import type { ProcIdentity } from './proc/types.js';
import { LOCK_UPDATE_MS, OWNER_FILE, readOwner, same, sanitizeLockPath, snapshot, takeOver, type Snapshot } from './lock-files.js';

/** proper-lockfile's own mtime takeover races (upstream proper-lockfile#121), so it is pushed out to a day; staleness is judged by owner identity instead. */
const STALE_MS = 24 * 3600 * 1000;

/** A lock this process holds. */
export interface HeldLock {
  /** True while the lock directory at the path is still the one this process claimed. */
  isOurs(): boolean;
  /** The owner token this process wrote (its identity and a random part). */
  readonly token: string;
  /** Releases the lock (idempotent); never removes a lock another process claimed. */
  release(): Promise<void>;
}

/** What {@link acquireLock} needs from the caller. */
export interface AcquireOptions {
  /** This process's identity, written as the owner. */
  self: ProcIdentity;
  /** True when a recorded process still runs (same PID and start time). */
  isAlive: (id: ProcIdentity) => boolean;
  /** A refusal when an instance still runs whatever the lock says (a live or orphaned robot). */
  runningInstance: () => TextRef | undefined;
  /** Called on every event worth logging (takeover, compromise, recovery). */
  log: EngineLog;
  /** Called before re-taking a lock removed under us: true while we still supervise the instance. */
  stillOwner: () => boolean;
}

/** What tells one lock directory from another: rename keeps all three (not ctime, which it changes). */
/** Why an existing lock can be taken over, or the refusal that names who holds it. */
function judge(paths: Paths, options: AcquireOptions): { stale: Snapshot } | { refuse: TextRef } | { retry: true } {
  const before = snapshot(paths.lockFile);
  const owner = readOwner(paths.lockFile);
  const after = snapshot(paths.lockFile);
  if (!before || !same(before, after)) return { retry: true };
  const running = options.runningInstance();
  if (running) return { refuse: running };
  if (owner && options.isAlive(owner)) return { refuse: { key: 'lockBusy', vars: { pid: owner.pid } } };
  // No owner yet: a racer between mkdir and its claim, unless the lock stopped being refreshed long ago
  if (!owner && Date.now() - before.mtimeMs < 3 * LOCK_UPDATE_MS) {
    return { refuse: { key: 'lockStarting' } };
  }
  options.log(owner ? { key: 'staleLockOwnerGone', vars: { pid: owner.pid } } : { key: 'staleLockNoOwner' });
  return { stale: before };
}

/** Takes the instance lock (`~/.bbia_sim.lock`): mkdir through proper-lockfile, then an exclusive owner claim inside it. */
export async function acquireLock(paths: Paths, options: AcquireOptions): Promise<HeldLock> {
  const warning = sanitizeLockPath(paths.lockFile);
  if (warning) options.log(warning);
  const token = `${options.self.pid} ${options.self.startKey} ${crypto.randomBytes(8).toString('hex')}`;
  const ownerFile = path.join(paths.lockFile, OWNER_FILE);
  let release: (() => Promise<void>) | undefined;
  let released = false;
  const isOurs = () => readOwner(paths.lockFile)?.token === token;

  const onCompromised = (error: Error) => {
    // proper-lockfile's default throws from a timer, which would kill the supervisor and orphan the robot
    options.log({ key: 'lockCompromised', vars: { why: error.message } });
    if (released || !options.stillOwner()) return;
    // Our directory whose mtime someone else touched: make it anew, so it is refreshed again
    if (isOurs()) fs.rmSync(paths.lockFile, { recursive: true, force: true });
    if (fs.existsSync(paths.lockFile)) {
      options.log({ key: 'lockHeldByOther' });
      return;
    }
    reclaiming = claim()
      .then((ok) => options.log(ok ? { key: 'lockReacquired' } : { key: 'lockHeldByOther' }))
      .catch((e: Error) => options.log({ key: 'lockNotReacquired', vars: { why: e.message } }));
  };
  // A re-claim still in flight when the instance ends: release() waits for it, so it cannot outlive the instance
  let reclaiming: Promise<void> | undefined;

  const claim = async (): Promise<boolean> => {
    const r = await lockfile.lock(paths.home, {
      lockfilePath: paths.lockFile,
      realpath: false,
      stale: STALE_MS,
      update: LOCK_UPDATE_MS,
      retries: 0,
      onCompromised,
    });
    try {
      // Writing the owner changes the directory's mtime, which proper-lockfile checks at every refresh as
      // its own: put back the mtime it set, or the first refresh finds the lock compromised
      const made = fs.statSync(paths.lockFile);
      fs.writeFileSync(ownerFile, token, { flag: 'wx', mode: 0o600 });
      fs.utimesSync(paths.lockFile, made.atime, made.mtime);
      fs.chmodSync(paths.lockFile, 0o700);
    } catch (error) {
      if (isErrno(error, 'EEXIST') || isErrno(error, 'ENOENT')) {
        // Lost the claim: the directory at the path is another racer's (rmdir of a non-empty one fails)
        await r().catch(() => {});
        return false;
      }
      // A full or read-only disk: fail closed and leave no lock behind to block the next start. Past the
      // O_EXCL check, an owner file at the path can only be the one this call created (perhaps half-written)
      fs.rmSync(ownerFile, { force: true });
      await r().catch(() => {});
      throw BbiaError.of('lockOwnerWrite', { lock: paths.lockFile, why: (error as Error).message, home: paths.home });
    }
    release = r;
    return isOurs();
  };

  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      if (await claim()) break;
      throw BbiaError.of('lockRaceLost', {}, ExitCode.refused);
    } catch (error) {
      if (error instanceof BbiaError) throw error;
      if (!isErrno(error, 'ELOCKED')) {
        throw BbiaError.of('lockCreate', { lock: paths.lockFile, why: (error as Error).message, home: paths.home });
      }
      const verdict = judge(paths, options);
      if ('refuse' in verdict) throw BbiaError.of(verdict.refuse.key, verdict.refuse.vars, ExitCode.refused);
      if ('stale' in verdict) takeOver(paths.lockFile, verdict.stale);
    }
  }
  if (!release) throw BbiaError.of('lockAttempts', {}, ExitCode.refused);
  return {
    isOurs,
    token,
    async release() {
      if (released) return;
      released = true;
      await reclaiming;
      if (!isOurs()) return;
      fs.rmSync(ownerFile, { force: true });
      await release?.().catch(() => {});
    },
  };
}

