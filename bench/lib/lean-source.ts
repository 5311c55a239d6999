// A prototype of one recommended engine change, measured side by side with the engine's own reader:
// main/engine/proc/linux.ts reads /proc/<pid>/stat with fs.readFileSync, which for a /proc file (size 0
// to fstat) allocates a fresh 64 KiB buffer per read; this reads into one reused buffer instead.
import fs from 'node:fs';
import { createLinuxSource } from '../../out/main/engine/proc/linux.js';

const buf = Buffer.allocUnsafe(4096);

/** /proc/<pid>/stat through open + one read into a shared buffer + close (3 syscalls, no allocation but the string). */
export function readStat(pid: number): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(`/proc/${pid}/stat`, 'r');
  } catch {
    return undefined;
  }
  try {
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.toString('latin1', 0, n);
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** The engine's Linux source with only its stat read replaced: list() and read() as the engine's. */
export function createLeanSource(): ReturnType<typeof createLinuxSource> {
  const base = createLinuxSource();
  const original = fs.readFileSync;
  // Route the engine's stat reads through readStat; everything else (cmdline, once per identity) unchanged
  const patched = ((file: fs.PathOrFileDescriptor, options?: unknown) => {
    if (typeof file === 'string' && file.endsWith('/stat') && file.startsWith('/proc/') && options === 'latin1') {
      const text = readStat(Number(file.slice(6, -5)));
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
      return text;
    }
    return (original as (f: unknown, o: unknown) => unknown)(file, options);
  }) as typeof fs.readFileSync;
  const wrap = <A extends unknown[], R>(fn: (...a: A) => R) => (...a: A): R => {
    fs.readFileSync = patched;
    try {
      return fn(...a);
    } finally {
      fs.readFileSync = original;
    }
  };
  return { list: wrap(base.list), read: wrap(base.read), cwd: base.cwd, children: base.children };
}
