import type { api } from '../preload/index.js';

declare global {
  interface Window {
    /** The preload's api (the e2e shim implements the same type). */
    bbia: typeof api;
  }
}
