/** The lock directory's files, without proper-lockfile: what status, stop and kill-all need (start and removals load lock.ts). */
import fs from 'node:fs';
import path from 'node:path';
import type { Paths } from '../paths.js';
import type { ProcIdentity } from '../scan/proc/types.js';
import { moveAside } from '../safe-fs.js';
import type { TextRef } from '../../../common/i18n/engine-text.js';

/**
 * A lock directory without an owner is a claim under way for this long (mkdir, then the owner file, both
 * under the claim guard of lock.ts); older, its claimer died between the two and it is stale.
 */
export const OWNERLESS_GRACE_MS = 10_000;

/** The file inside the lock directory naming its owner; claimed with O_EXCL, it is what really decides who holds the lock. */
export const OWNER_FILE = 'owner';

/** The lock directory's modification time, or undefined when nothing is there. */
export function lockMtime(file: string): number | undefined {
  try {
    return fs.lstatSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

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
 * or a plain file such as the seed tool's `bbia_safe.sh` wrote (moved aside). Returns what to tell the user, if anything.
 */
export function sanitizeLockPath(file: string): TextRef | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (st.isSymbolicLink()) {
    fs.unlinkSync(file);
    return { key: 'symlinkLockRemoved', vars: { file } };
  }
  if (!st.isDirectory()) {
    const aside = moveAside(file);
    return { key: 'oldLockSetAside', vars: { file, aside: aside ?? '?' } };
  }
  return undefined;
}

/** True when the lock path exists. */
export function lockExists(paths: Paths): boolean {
  return lockMtime(paths.lockFile) !== undefined;
}

/** What the lock at `file` is now: absent, held by a live owner, a claim under way, or dead (see {@link isDeadLock}). */
export type LockState =
  | { kind: 'none' }
  | { kind: 'held'; owner: ProcIdentity }
  | { kind: 'claiming' }
  | { kind: 'dead'; owner?: ProcIdentity };

/** Reads the lock at `file` once: its owner, and whether that identity still runs (`isAlive`: a `ps` on macOS). */
export function lockState(file: string, isAlive: (id: ProcIdentity) => boolean): LockState {
  const mtime = lockMtime(file);
  if (mtime === undefined) return { kind: 'none' };
  const owner = readOwner(file);
  if (owner) return isAlive(owner) ? { kind: 'held', owner } : { kind: 'dead', owner };
  return Date.now() - mtime >= OWNERLESS_GRACE_MS ? { kind: 'dead' } : { kind: 'claiming' };
}

/**
 * True when the lock at `file` belongs to no running instance: its owner's identity is gone, or it has
 * no owner and is older than the claim window. Only under the claim guard may such a lock be removed (lock.ts).
 */
export function isDeadLock(file: string, isAlive: (id: ProcIdentity) => boolean): boolean {
  return lockState(file, isAlive).kind === 'dead';
}

/**
 * Releases a lock held under `token`: the owner file, then the directory. Never another's lock. Called
 * under the claim guard (lock.ts `releaseLock`), so no start judges it between the two removals.
 */
export function releaseOwned(lockFile: string, token: string): boolean {
  if (readOwner(lockFile)?.token !== token) return false;
  fs.rmSync(path.join(lockFile, OWNER_FILE), { force: true });
  try {
    fs.rmdirSync(lockFile);
  } catch {
    // not empty: something else was put there; leave it for the next start's judgement
  }
  return true;
}
