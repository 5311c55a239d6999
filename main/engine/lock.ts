import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { BbiaError, ExitCode, isErrno } from './errors.js';
import type { Paths } from './paths.js';
import type { ProcIdentity } from './proc/types.js';
import { moveAside } from './safe-fs.js';

/** proper-lockfile's own mtime takeover races (upstream proper-lockfile#121), so it is pushed out to a day; staleness is judged by owner identity instead. */
const STALE_MS = 24 * 3600 * 1000;

/** How often a held lock's mtime is refreshed; a lock without an owner is stale after three missed refreshes. */
export const LOCK_UPDATE_MS = Number(process.env.BBIA_SAFE_LOCK_UPDATE_MS) || 5000;

/** The file inside the lock directory naming its owner; claimed with O_EXCL, it is what really decides who holds the lock. */
export const OWNER_FILE = 'owner';

/** A lock this process holds. */
export interface HeldLock {
  /** True while the lock directory at the path is still the one this process claimed. */
  isOurs(): boolean;
  /** Releases the lock (idempotent); never removes a lock another process claimed. */
  release(): Promise<void>;
}

/** What {@link acquireLock} needs from the caller. */
export interface AcquireOptions {
  /** This process's identity, written as the owner. */
  self: ProcIdentity;
  /** True when a recorded process still runs (same PID and start time). */
  isAlive: (id: ProcIdentity) => boolean;
  /** A refusal message when an instance still runs whatever the lock says (a live or orphaned robot). */
  runningInstance: () => string | undefined;
  /** Called on every event worth logging (takeover, compromise, recovery). */
  log: (message: string) => void;
  /** Called before re-taking a lock removed under us: true while we still supervise the instance. */
  stillOwner: () => boolean;
}

/** What tells one lock directory from another: rename keeps all three (not ctime, which it changes). */
type Snapshot = { ino: number; mtimeMs: number; birthtimeMs: number };

function snapshot(file: string): Snapshot | undefined {
  try {
    const st = fs.lstatSync(file);
    return { ino: st.ino, mtimeMs: st.mtimeMs, birthtimeMs: st.birthtimeMs };
  } catch {
    return undefined;
  }
}

const same = (a?: Snapshot, b?: Snapshot) => !!a && !!b && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.birthtimeMs === b.birthtimeMs;

/** Reads the owner of a lock directory: an identity, or undefined when there is none (yet) or it is unreadable. */
export function readOwner(lockFile: string): (ProcIdentity & { token: string }) | undefined {
  try {
    const token = fs.readFileSync(path.join(lockFile, OWNER_FILE), { encoding: 'utf8', flag: fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW });
    const [pid, startKey] = token.split(' ');
    if (!/^\d+$/.test(pid ?? '') || !startKey) return undefined;
    return { pid: Number(pid), startKey, token };
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
 * Moves a stale lock out of the way. Two racers may judge the same lock stale: the rename is atomic,
 * and if what was moved is not the lock that was judged, it was a faster racer's fresh lock and goes back.
 */
export function takeOver(file: string, judged: Snapshot): boolean {
  const tomb = `${file}.stale-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, tomb);
  } catch {
    return false;
  }
  if (same(snapshot(tomb), judged)) {
    fs.rmSync(tomb, { recursive: true, force: true });
    return true;
  }
  try {
    fs.renameSync(tomb, file);
  } catch {
    // A third racer made a new lock meanwhile; the moved one's owner sees it is no longer ours and yields
    fs.rmSync(tomb, { recursive: true, force: true });
  }
  return false;
}

/** Why an existing lock can be taken over, or the refusal that names who holds it. */
function judge(paths: Paths, options: AcquireOptions): { stale: Snapshot } | { refuse: string } | { retry: true } {
  const before = snapshot(paths.lockFile);
  const owner = readOwner(paths.lockFile);
  const after = snapshot(paths.lockFile);
  if (!before || !same(before, after)) return { retry: true };
  const running = options.runningInstance();
  if (running) return { refuse: running };
  if (owner && options.isAlive(owner)) return { refuse: `bbia-safe PID ${owner.pid} holds the lock and is starting or stopping an instance` };
  // No owner yet: a racer between mkdir and its claim, unless the lock stopped being refreshed long ago
  if (!owner && Date.now() - before.mtimeMs < 3 * LOCK_UPDATE_MS) {
    return { refuse: 'another bbia-safe is starting an instance right now' };
  }
  options.log(`the lock was stale (${owner ? `its owner PID ${owner.pid} is gone` : 'it has no owner'}); taking it over`);
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
    options.log(`the lock was compromised (${error.message})`);
    if (released || !options.stillOwner()) return;
    // Our directory whose mtime someone else touched: make it anew, so it is refreshed again
    if (isOurs()) fs.rmSync(paths.lockFile, { recursive: true, force: true });
    if (fs.existsSync(paths.lockFile)) {
      options.log('another process holds the lock now; not taking it back');
      return;
    }
    claim()
      .then((ok) => options.log(ok ? 'lock re-acquired' : 'could not re-acquire the lock: another process holds it'))
      .catch((e: Error) => options.log(`could not re-acquire the lock: ${e.message}`));
  };

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
      fs.writeFileSync(ownerFile, token, { flag: 'wx', mode: 0o600 });
      fs.chmodSync(paths.lockFile, 0o700);
    } catch {
      // Lost the claim: the directory at the path is another racer's (rmdir of a non-empty one fails)
      await r().catch(() => {});
      return false;
    }
    release = r;
    return isOurs();
  };

  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      if (await claim()) break;
      throw new BbiaError('another bbia-safe won the race for the lock', 'check with: bbia-safe status', ExitCode.refused);
    } catch (error) {
      if (error instanceof BbiaError) throw error;
      if (!isErrno(error, 'ELOCKED')) {
        throw new BbiaError(`could not create the lock ${paths.lockFile}: ${(error as Error).message}`, `check that ${paths.home} is writable`);
      }
      const verdict = judge(paths, options);
      if ('refuse' in verdict) throw new BbiaError(verdict.refuse, 'stop it first: bbia-safe stop', ExitCode.refused);
      if ('stale' in verdict) takeOver(paths.lockFile, verdict.stale);
    }
  }
  if (!release) throw new BbiaError('could not take the lock after five attempts', 'check with: bbia-safe status', ExitCode.refused);
  return {
    isOurs,
    async release() {
      if (released) return;
      released = true;
      if (!isOurs()) return;
      fs.rmSync(ownerFile, { force: true });
      await release?.().catch(() => {});
    },
  };
}

/** True when the lock path exists. */
export function lockExists(paths: Paths): boolean {
  return snapshot(paths.lockFile) !== undefined;
}

/** Removes the lock of an instance known to be over (its owner is dead, or it has none and is not fresh). */
export function removeDeadLock(paths: Paths, isAlive: (id: ProcIdentity) => boolean): boolean {
  const warning = sanitizeLockPath(paths.lockFile);
  if (warning) return true;
  const before = snapshot(paths.lockFile);
  if (!before) return false;
  const owner = readOwner(paths.lockFile);
  if (owner && isAlive(owner)) return false;
  if (!owner && Date.now() - before.mtimeMs < 3 * LOCK_UPDATE_MS) return false;
  return takeOver(paths.lockFile, before);
}
