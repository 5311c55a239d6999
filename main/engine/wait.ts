import { setTimeout as delay } from 'node:timers/promises';

/** Polls `condition` every `everyMs` until it holds or `timeoutMs` passes; true when it held. */
export async function waitFor(condition: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (Date.now() >= deadline) return false;
    await delay(Math.min(everyMs, Math.max(1, deadline - Date.now())));
  }
}
