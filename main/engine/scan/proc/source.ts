import { createDarwinSource } from './darwin.js';
import { createLinuxSource } from './linux.js';
import type { ProcSource } from './types.js';

/** Set to `ps` to run macOS's reader (one `ps` a read) on Linux's procps: the benchmarks' macOS mode (bench/README.md). */
export const PROC_READER_ENV = 'BBIA_SAFE_PROC_READER';

/** The process reader of this platform: /proc on Linux, `ps` on macOS. */
export function createProcSource(platform: NodeJS.Platform = process.platform): ProcSource {
  if (platform === 'linux' && process.env[PROC_READER_ENV] === 'ps') return createDarwinSource();
  if (platform === 'linux') return createLinuxSource();
  if (platform === 'darwin') return createDarwinSource();
  throw new Error(`bbia-safe supports macOS and Linux, not ${platform}`);
}
