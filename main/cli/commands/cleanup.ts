import type { CommandSpec } from '../args.js';
import { listAndConfirm, reportSurvivors, type CliContext } from '../context.js';

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
  const header = t('willCleanup', { n: targets.length, minutes: engine.settings.leftoverMinutes });
  await listAndConfirm(ctx, header, targets, options.force === true, 'confirm');
  const report = await engine.cleanup(targets, (options.timeout ?? engine.settings.stopTimeout) * 1000);
  if (reportSurvivors(ctx, report.survivors)) return 1;
  io.out(t('cleaned', { n: targets.length, total: report.targeted.length, killed: report.killed.length }));
  return 0;
}
