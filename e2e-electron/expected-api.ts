import { API_METHODS } from '../common/contract.js';

/** The methods the preload must expose as `window.bbia`, sorted: one per channel of the IPC contract, never a hand-kept copy. */
export function expectedApi(): string[] {
  return Object.keys(API_METHODS).toSorted();
}
