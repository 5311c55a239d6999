import { createLsofPortReader } from './darwin.js';
import { createLinuxPortReader } from './linux.js';
import type { PortReader, PortReaderOptions } from './types.js';

export { addressInUsePort } from './address-in-use.js';
export type { PortHolder, PortReader, PortReaderOptions } from './types.js';

/**
 * The TCP port reader of this platform: /proc on Linux, `lsof` on macOS (psutil's one API over one
 * reader per platform). Create one per app or CLI run and keep it: each reader caches between polls.
 */
export function createPortReader(platform: NodeJS.Platform = process.platform, options: PortReaderOptions = {}): PortReader {
  if (platform === 'linux') return createLinuxPortReader(options);
  if (platform === 'darwin') return createLsofPortReader(options);
  throw new Error(`bbia-safe supports macOS and Linux, not ${platform}`);
}
