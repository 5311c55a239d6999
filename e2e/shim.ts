import type { Api } from '../common/contract.js';
import type { api as preloadApi } from '../preload/index.js';

/** The preload's api type: the shim must be exactly that. */
type PreloadApi = typeof preloadApi;
// Compile-time check, both ways: the shim's type and the preload's are the same
type Assert<T extends true> = T;
/** Fails to compile when the shim's api type and the preload's differ. */
export type ShimIsPreloadApi = Assert<Api extends PreloadApi ? (PreloadApi extends Api ? true : false) : false>;

/**
 * Installed in the page before its scripts (page.addInitScript): `window.bbia`, the same api as the
 * preload, over the harness's loopback transport. Self-contained: Playwright sends its source text.
 */
export function installShim(methods: Record<string, string>): void {
  const invoke = async (channel: string, request: unknown): Promise<unknown> => {
    const response = await fetch(`/ipc/${encodeURIComponent(channel)}`, { method: 'POST', body: JSON.stringify({ request }) });
    const value: unknown = await response.json();
    if (!response.ok) throw new Error((value as { error: string }).error);
    return value;
  };
  const api: Record<string, (request?: unknown) => Promise<unknown>> = {};
  for (const [method, channel] of Object.entries(methods)) api[method] = (request?: unknown) => invoke(channel, request ?? null);
  (window as unknown as { bbia: Api }).bbia = Object.freeze(api) as unknown as Api;
}
