import type { CommandSpec } from '../args.js';
import { listAndConfirm, reportSurvivors, type CliContext } from '../context.js';

/** `kill-all [--force]`. */
export const killAllSpec: CommandSpec = { options: { force: 'boolean' }, maxPositional: 0, usage: 'bbia-safe kill-all [--force]' };

/** SIGKILL to every BBIA process of this user, never itself or its ancestors, after the same confirmation as stop. */
export async function killAll(ctx: CliContext, options: { force?: boolean }): Promise<number> {
  const { engine, io, t } = ctx;
  const targets = engine.planKillAll();
  if (targets.length === 0) {
    await engine.clearStale();
    io.out(t('none'));
    return 0;
  }
  await listAndConfirm(ctx, t('willKill'), targets, options.force === true, 'confirmKill');
  const report = await engine.killAll(targets);
  if (reportSurvivors(ctx, report.survivors)) return 1;
  const listed = new Set(targets.map((p) => p.pid));
  io.out(t('killed', { n: report.targeted.length, extra: report.targeted.filter((p) => !listed.has(p.pid)).length }));
  return 0;
}
