import type { CommandSpec } from '../args.js';
import { confirmOrRefuse, type CliContext } from '../context.js';
import { formatProcess } from '../format.js';

/** `cleanup [--force] [--timeout S]`. */
export const cleanupSpec: CommandSpec = {
  options: { force: 'boolean', timeout: 'number' },
  maxPositional: 0,
  usage: 'bbia-safe cleanup [--force] [--timeout S]',
};

/** Stops the leftovers (old test, websocket and viewer processes outside the instance) after the same confirmation as stop. */
export async function cleanup(ctx: CliContext, options: { force?: boolean; timeout?: number }): Promise<number> {
  const { engine, io, t } = ctx;
  const targets = engine.planCleanup();
  if (targets.length === 0) {
    io.out(t('noLeftovers', { minutes: engine.settings.leftoverMinutes }));
    return 0;
  }
  io.out(t('willCleanup', { n: targets.length, minutes: engine.settings.leftoverMinutes }));
  const now = Date.now();
  for (const p of targets) io.out(formatProcess(p, t, now));
  await confirmOrRefuse(ctx, options.force === true, 'confirm', targets.length);
  const survivors = await engine.cleanup(targets, (options.timeout ?? engine.settings.stopTimeout) * 1000);
  if (survivors.length > 0) {
    io.err(t('survivors', { list: survivors.map((p) => `PID ${p.pid} (${p.command})`).join(', ') }));
    return 1;
  }
  io.out(t('cleaned', { n: targets.length }));
  return 0;
}
