/** The signals that stop a foreground command: Ctrl+C, kill, and the terminal closing. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Calls `handler` on every stop signal until the returned function is called.
 * Listeners stay registered (process.on, never once): when-exit, loaded by conf through atomically,
 * re-raises each of these signals once after its own cleanup, and a process left with no listener of
 * ours would then be killed by it, or by signal-exit, mid-stop.
 */
export function onStopSignals(handler: (signal: NodeJS.Signals) => void): () => void {
  for (const s of STOP_SIGNALS) process.on(s, handler);
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, handler);
  };
}

/** Resolves with the first stop signal; listeners stay until `dispose` is called. */
export function nextStopSignal(): { signal: Promise<NodeJS.Signals>; dispose: () => void } {
  let resolve!: (s: NodeJS.Signals) => void;
  const signal = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const dispose = onStopSignals((s) => resolve(s));
  return { signal, dispose };
}
