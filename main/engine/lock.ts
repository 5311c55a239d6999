import fs from 'node:fs';
import lockfile from 'proper-lockfile';
import { BbiaError, ExitCode, isErrno } from './errors.js';
import type { Paths } from './paths.js';
import { moveAside } from './safe-fs.js';

/** proper-lockfile's own mtime takeover races (upstream proper-lockfile#121), so it is pushed out to a day; staleness is judged by owner identity instead. */
const STALE_MS = 24 * 3600 * 1000;

/** How often a held lock's mtime is refreshed; a lock without a pidfile is stale after three missed refreshes. */
export const LOCK_UPDATE_MS = Number(process.env.BBIA_SAFE_LOCK_UPDATE_MS) || 5000;

/** Who holds an existing lock, as judged by the caller from the pidfile and the process table. */
export type OwnerVerdict =
  | { alive: true; message: string }
  | { alive: false; reason: string; certain: boolean };

/** A lock this process holds. */
export interface HeldLock {
  /** Releases the lock (idempotent). */
  release(): Promise<void>;
}

/** Events the lock reports while held, for logging. */
export type LockLog = (message: string) => void;

/** Snapshot of a lock directory, to make sure a takeover moves exactly the lock that was judged stale. */
function snapshot(file: string): { ino: number; mtimeMs: number } | undefined {
  try {
    const st = fs.lstatSync(file);
    return { ino: st.ino, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

/**
 * Clears what must never be trusted at the lock path: a symlink (removed, its target untouched)
 * or a plain file such as the seed tool's (moved aside). Returns a warning, if any.
 */
export function sanitizeLockPath(file: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (st.isSymbolicLink()) {
    fs.unlinkSync(file);
    return `${file} was a symbolic link; removed it (its target was not touched)`;
  }
  if (!st.isDirectory()) {
    const aside = moveAside(file);
    return `${file} was not a bbia-safe lock (a plain file, perhaps the old tool's); moved it to ${aside}`;
  }
  return undefined;
}

/**
 * Moves a stale lock out of the way. Two racers may both judge the same lock stale: the rename is
 * atomic, and if what was moved is not the lock that was judged (same inode and mtime), it was a
 * fresh lock of a faster racer and is put back.
 */
export function takeOver(file: string, judged: { ino: number; mtimeMs: number }): boolean {
  const tomb = `${file}.stale-${process.pid}-${Date.now()}`;
  try {
    fs.renameSync(file, tomb);
  } catch {
    return false;
  }
  const moved = snapshot(tomb);
  if (moved && moved.ino === judged.ino && moved.mtimeMs === judged.mtimeMs) {
    fs.rmSync(tomb, { recursive: true, force: true });
    return true;
  }
  try {
    fs.renameSync(tomb, file);
  } catch {
    fs.rmSync(tomb, { recursive: true, force: true });
  }
  return false;
}

/** Options of {@link acquireLock}. */
export interface AcquireOptions {
  /** Judges an existing lock's owner (from the pidfile and the process table). */
  judgeOwner: () => OwnerVerdict;
  /** Called on every event worth logging (takeover, compromise, recovery). */
  log: LockLog;
  /** Called before re-taking a lock that was removed under us: true while we still own the instance. */
  stillOwner: () => boolean;
}

/** Takes the instance lock (`~/.bbia_sim.lock`) or throws a refusal naming the owner. */
export async function acquireLock(paths: Paths, options: AcquireOptions): Promise<HeldLock> {
  const warning = sanitizeLockPath(paths.lockFile);
  if (warning) options.log(warning);
  let release: (() => Promise<void>) | undefined;
  let released = false;

  const onCompromised = (error: Error) => {
    // Default is to throw from a timer, which would kill the supervisor and orphan the robot
    options.log(`the lock was compromised (${error.message}); checking ownership`);
    if (released || !options.stillOwner()) return;
    const stale = snapshot(paths.lockFile);
    if (stale) takeOver(paths.lockFile, stale);
    tryLock()
      .then((r) => {
        release = r;
        options.log('lock re-acquired');
      })
      .catch((e: Error) => options.log(`could not re-acquire the lock: ${e.message}`));
  };

  const tryLock = () =>
    lockfile.lock(paths.home, {
      lockfilePath: paths.lockFile,
      realpath: false,
      stale: STALE_MS,
      update: LOCK_UPDATE_MS,
      retries: 0,
      onCompromised,
    });

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      release = await tryLock();
      break;
    } catch (error) {
      if (!isErrno(error, 'ELOCKED')) {
        throw new BbiaError(
          `could not create the lock ${paths.lockFile}: ${(error as Error).message}`,
          `check that ${paths.home} is writable`,
        );
      }
      const judged = snapshot(paths.lockFile);
      const verdict = options.judgeOwner();
      if (verdict.alive) throw new BbiaError(verdict.message, 'stop it first: bbia-safe stop', ExitCode.refused);
      // A dead owner recorded in the pidfile is certain; a lock with no record is dead only once it stopped being refreshed
      const fresh = judged !== undefined && !verdict.certain && Date.now() - judged.mtimeMs < 3 * LOCK_UPDATE_MS;
      if (!judged || fresh) {
        if (attempt < 2 && !judged) continue;
        throw new BbiaError(
          'another bbia-safe is starting an instance right now (the lock is fresh)',
          'wait a moment and check with: bbia-safe status',
          ExitCode.refused,
        );
      }
      options.log(`the lock was stale (${verdict.reason}); taking it over`);
      takeOver(paths.lockFile, judged);
    }
  }
  if (!release) {
    throw new BbiaError('could not take the lock after three attempts', 'check with: bbia-safe status', ExitCode.refused);
  }
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await release?.();
      } catch {
        // already gone: nothing to release
      }
    },
  };
}

/** True when the lock directory exists. */
export function lockExists(paths: Paths): boolean {
  return snapshot(paths.lockFile) !== undefined;
}

/** Removes a lock whose owner is known dead, by the same verified takeover. */
export function removeDeadLock(paths: Paths): boolean {
  const judged = snapshot(paths.lockFile);
  if (!judged) return false;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(paths.lockFile);
  } catch {
    return false;
  }
  if (!st.isDirectory()) return sanitizeLockPath(paths.lockFile) !== undefined;
  return takeOver(paths.lockFile, judged);
}
