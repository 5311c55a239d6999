import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BbiaError } from './errors.js';

const MAX_READ = 64 * 1024;

/** Writes a file owner-only and atomically (temp file + rename), never through a symlink. */
export function writeAtomic(file: string, data: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    // O_EXCL never follows a symlink; rename replaces a link at `file` instead of writing through it
    fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw BbiaError.of('writeFailed', { file, why: (error as Error).message, dir: path.dirname(file) });
  }
}

/** What {@link readNoFollow} found. */
export type ReadResult =
  | { kind: 'missing' }
  | { kind: 'text'; text: string }
  | { kind: 'invalid'; reason: string };

/** Reads a small regular file without following a symlink; anything else is reported, never trusted. */
export function readNoFollow(file: string): ReadResult {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'invalid', reason: (error as Error).message };
  }
  if (stat.isSymbolicLink()) return { kind: 'invalid', reason: 'it is a symbolic link' };
  if (!stat.isFile()) return { kind: 'invalid', reason: 'it is not a regular file' };
  if (stat.size > MAX_READ) return { kind: 'invalid', reason: `it is ${stat.size} bytes, far too large` };
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      return { kind: 'text', text: fs.readFileSync(fd, 'utf8') };
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'invalid', reason: (error as Error).message };
  }
}

/** Moves a suspicious file or link aside (`<name>.corrupt-<time>`) so nothing is lost; returns the new path. */
export function moveAside(file: string): string | undefined {
  const target = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  try {
    fs.renameSync(file, target);
    return target;
  } catch {
    return undefined;
  }
}
