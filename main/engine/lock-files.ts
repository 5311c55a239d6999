/** The lock directory's files, without proper-lockfile: what status, stop and kill-all need (start loads lock.ts). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Paths } from './paths.js';
import type { ProcIdentity } from './proc/types.js';
import { moveAside } from './safe-fs.js';
import type { TextRef } from '../i18n/engine-text.js';

/** How often a held lock's mtime is refreshed; a lock without an owner is stale after three missed refreshes. */
export const LOCK_UPDATE_MS = Number(process.env.BBIA_SAFE_LOCK_UPDATE_MS) || 5000;

/**
 * How often the keeper wakes on Linux, where as subreaper it walks no tree (keeper/tree.py): it refreshes the
 * lock (which goes stale after a day), and checks the log, sooner when the log grows towards its cap.
 */
export const KEEPER_TICK_MS = Number(process.env.BBIA_SAFE_LOCK_UPDATE_MS) || 30_000;

/** The file inside the lock directory naming its owner; claimed with O_EXCL, it is what really decides who holds the lock. */
export const OWNER_FILE = 'owner';

/** What tells one lock directory from another: rename keeps all three (not ctime, which it changes). */
export type Snapshot = { ino: number; mtimeMs: number; birthtimeMs: number };

/** Identity of the directory at `file`, or undefined when nothing is there. */
export function snapshot(file: string): Snapshot | undefined {
  try {
    const st = fs.lstatSync(file);
    return { ino: st.ino, mtimeMs: st.mtimeMs, birthtimeMs: st.birthtimeMs };
  } catch {
    return undefined;
  }
}

/** True when two snapshots are of the same lock directory. */
export const same = (a?: Snapshot, b?: Snapshot) => !!a && !!b && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.birthtimeMs === b.birthtimeMs;

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

/**
 * Releases a lock held under `token` from another program than the one that took it (the keeper's end,
 * keeper.ts): the owner file, then the directory, as proper-lockfile's unlock does. Never another's lock.
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
