import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { BbiaError, ExitCode, isErrno } from '../errors.js';
import type { Paths } from '../paths.js';
import type { EngineLog, TextRef } from '../../../common/i18n/engine-text.js';
import type { ProcIdentity } from '../scan/proc/types.js';
import { isDeadLock, lockExists, lockState, OWNER_FILE, readOwner, releaseOwned, sanitizeLockPath } from './lock-files.js';

// The instance lock (`~/.bbia_sim.lock`, the contract's path) is held for the robot's whole run, longer
// than any Node: the detached supervisor is a Python program (supervise/detached/supervisor.py), which never refreshes an
// mtime. So its staleness is its owner's identity being gone, and proper-lockfile, whose locks live
// while a Node refreshes them, guards only the short claim: every creation, takeover and removal of a
// dead instance lock happens under it, on its defaults, which makes a plain removal a safe takeover.

/**
 * The claim guard's staleness, and how long a racer waits for it (about 7.8 s of backoff): longer than the
 * staleness, so a claimer that crashed inside the guard delays the next start, and never refuses it.
 */
const CLAIM_STALE_MS = 5000;
const CLAIM_RETRIES = { retries: 25, factor: 1.5, minTimeout: 20, maxTimeout: 400 };

/** A lock this process holds. */
export interface HeldLock {
  /** True while the lock directory at the path is still the one this process claimed. */
  isOurs(): boolean;
  /** The owner token this process wrote (its identity and a random part). */
  readonly token: string;
  /** Re-creates the lock with the same owner if it was removed under the running instance (see {@link keepLock}); cheap when it is there. */
  keep(): void;
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
  /** Called on every event worth logging (takeover, re-creation). */
  log: EngineLog;
  /** Called before re-creating a lock removed under us: true while we still supervise the instance. */
  stillOwner: () => boolean;
}

/** Runs `fn` holding the claim guard (`~/.bbia-safe/claim.lock`); waiting racers retry with backoff. */
async function withClaim<T>(paths: Paths, log: EngineLog, fn: () => T): Promise<T> {
  let release: () => Promise<void>;
  const guard = path.join(paths.stateDir, 'claim');
  const guardFile = `${guard}.lock`;
  try {
    fs.mkdirSync(paths.stateDir, { recursive: true, mode: 0o700 });
    // A symlink planted at the guard's path is removed (its target untouched), as at the lock's own path
    sanitizeLockPath(guardFile);
    release = await lockfile.lock(guard, {
      lockfilePath: guardFile,
      realpath: false,
      stale: CLAIM_STALE_MS,
      retries: CLAIM_RETRIES,
      // Its default throws from a timer, which would kill the supervisor and orphan the robot
      onCompromised: (error) => log({ key: 'lockCompromised', vars: { why: error.message } }),
    });
  } catch (error) {
    if (isErrno(error, 'ELOCKED')) throw BbiaError.of('lockStarting', {}, ExitCode.refused);
    throw BbiaError.of('lockCreate', { lock: guardFile, why: (error as Error).message, home: paths.home });
  }
  try {
    return fn();
  } finally {
    await release().catch(() => {});
  }
}

/** Makes the lock directory and claims its owner file (O_EXCL) with `token`; false when the directory exists. */
function create(paths: Paths, token: string): boolean {
  try {
    fs.mkdirSync(paths.lockFile, { mode: 0o700 });
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw BbiaError.of('lockCreate', { lock: paths.lockFile, why: (error as Error).message, home: paths.home });
  }
  const ownerFile = path.join(paths.lockFile, OWNER_FILE);
  try {
    fs.writeFileSync(ownerFile, token, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // A full or read-only disk: fail closed and leave no lock behind to block the next start
    fs.rmSync(paths.lockFile, { recursive: true, force: true });
    throw BbiaError.of('lockOwnerWrite', { lock: paths.lockFile, why: (error as Error).message, home: paths.home });
  }
  return true;
}

/** Why the existing lock may not be taken over, or undefined when it is dead (and was removed). */
function judge(paths: Paths, options: AcquireOptions): TextRef | undefined {
  const running = options.runningInstance();
  if (running) return running;
  // One read of the owner and one identity check (a `ps` on macOS)
  const lock = lockState(paths.lockFile, options.isAlive);
  if (lock.kind === 'held') return { key: 'lockBusy', vars: { pid: lock.owner.pid } };
  if (lock.kind === 'claiming') return { key: 'lockStarting' };
  if (lock.kind === 'none') return undefined;
  options.log(lock.owner ? { key: 'staleLockOwnerGone', vars: { pid: lock.owner.pid } } : { key: 'staleLockNoOwner' });
  fs.rmSync(paths.lockFile, { recursive: true, force: true });
  return undefined;
}

/** Takes the instance lock: under the claim guard, a dead lock removed, then mkdir and an exclusive owner claim. */
export async function acquireLock(paths: Paths, options: AcquireOptions): Promise<HeldLock> {
  const token = `${options.self.pid} ${options.self.startKey} ${crypto.randomBytes(8).toString('hex')}`;
  await withClaim(paths, options.log, () => {
    const warning = sanitizeLockPath(paths.lockFile);
    if (warning) options.log(warning);
    for (let attempt = 0; attempt < 5; attempt++) {
      if (create(paths, token)) return;
      const refusal = judge(paths, options);
      if (refusal) throw BbiaError.of(refusal.key, refusal.vars, ExitCode.refused);
    }
    throw BbiaError.of('lockAttempts', {}, ExitCode.refused);
  });
  let released = false;
  let keeping: Promise<unknown> | undefined;
  return {
    isOurs: () => readOwner(paths.lockFile)?.token === token,
    token,
    keep() {
      if (released || keeping || lockExists(paths)) return;
      keeping = keepLock(paths, token, options.log, () => !released && options.stillOwner()).finally(() => (keeping = undefined));
    },
    async release() {
      released = true;
      await keeping;
      await releaseLock(paths, token, options.log);
    },
  };
}

/**
 * Re-creates the instance lock with the same owner `token` when it was removed under a running instance
 * (`stillOwner`); never takes back a lock another process holds now. The one function of every
 * supervisor: the foreground CLI and the app at their tracking tick, the detached one through
 * `__supervisor-upkeep`. Returns what it found.
 */
export async function keepLock(paths: Paths, token: string, log: EngineLog, stillOwner: () => boolean): Promise<'held' | 'recreated' | 'other' | 'over'> {
  if (lockExists(paths)) return readOwner(paths.lockFile)?.token === token ? 'held' : 'other';
  try {
    return await withClaim(paths, log, () => {
      if (!stillOwner()) return 'over';
      if (lockExists(paths)) {
        if (readOwner(paths.lockFile)?.token === token) return 'held';
        log({ key: 'lockHeldByOther' });
        return 'other';
      }
      log('the lock was removed under the running instance; re-creating it');
      create(paths, token);
      log({ key: 'lockReacquired' });
      return 'recreated';
    });
  } catch (error) {
    log({ key: 'lockNotReacquired', vars: { why: (error as Error).message } });
    return 'over';
  }
}

/**
 * Releases the lock held under `token` (never another's), under the claim guard, so that no start judges
 * it between its owner file's removal and its directory's; without the guard (unwritable state folder)
 * it is released all the same.
 */
export async function releaseLock(paths: Paths, token: string, log: EngineLog = () => {}): Promise<void> {
  try {
    await withClaim(paths, log, () => releaseOwned(paths.lockFile, token));
  } catch {
    releaseOwned(paths.lockFile, token);
  }
}

/**
 * Removes the lock of an instance known to be over (see isDeadLock), under the claim guard. True when it
 * removed it; never throws (a lock left behind is taken over by the next start).
 */
export async function removeDeadLock(paths: Paths, isAlive: (id: ProcIdentity) => boolean, log: EngineLog = () => {}): Promise<boolean> {
  if (sanitizeLockPath(paths.lockFile)) return true;
  try {
    return await withClaim(paths, log, () => {
      if (!isDeadLock(paths.lockFile, isAlive)) return false;
      fs.rmSync(paths.lockFile, { recursive: true, force: true });
      return true;
    });
  } catch {
    return false;
  }
}
