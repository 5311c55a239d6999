import { addressInUsePort, createPortReader } from '../engine/scan/ports/index.js';
import type { CliContext } from './context.js';

/**
 * After a robot ended on "address already in use": names the port and the process that holds it, and
 * how to free it. Prints nothing when the failure was something else.
 */
export async function explainPortInUse(ctx: CliContext, lines: readonly string[], args: readonly string[]): Promise<void> {
  const port = addressInUsePort(lines, args);
  if (port === undefined) return;
  const holder = await createPortReader().holder(port);
  if (holder) ctx.io.err(ctx.t('portHeld', { port, pid: holder.pid, command: holder.command }));
  else ctx.io.err(ctx.t('portHeldUnknown', { port }));
}
