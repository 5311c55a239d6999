import { createDarwinSource } from './darwin.js';
import { createLinuxSource } from './linux.js';
import type { ProcSource } from './types.js';

/** The process reader of this platform: /proc on Linux, `ps` on macOS. */
export function createProcSource(platform: NodeJS.Platform = process.platform): ProcSource {
  if (platform === 'linux') return createLinuxSource();
  if (platform === 'darwin') return createDarwinSource();
  throw new Error(`bbia-safe supports macOS and Linux, not ${platform}`);
}
