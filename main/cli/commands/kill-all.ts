import type { CommandSpec } from '../args.js';
import { confirmOrRefuse, type CliContext } from '../context.js';
import { formatProcess } from '../format.js';

/** `kill-all [--force]`. */
export const killAllSpec: CommandSpec = { options: { force: 'boolean' }, maxPositional: 0, usage: 'bbia-safe kill-all [--force]' };

/** SIGKILL to every BBIA process of this user, never itself or its ancestors, after the same confirmation as stop. */
export async function killAll(ctx: CliContext, options: { force?: boolean }): Promise<number> {
  const { engine, io, t } = ctx;
  const targets = engine.planKillAll();
  if (targets.length === 0) {
    engine.clearStale();
    io.out(t('none'));
    return 0;
  }
  io.out(t('willKill'));
  const now = Date.now();
  for (const p of targets) io.out(formatProcess(p, t, now));
  await confirmOrRefuse(ctx, options.force === true, 'confirmKill', targets.length);
  const survivors = await engine.killAll(targets);
  if (survivors.length > 0) {
    io.err(t('survivors', { list: survivors.map((p) => `PID ${p.pid} (${p.command})`).join(', ') }));
    return 1;
  }
  io.out(t('killed', { n: targets.length }));
  return 0;
}
