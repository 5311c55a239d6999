import type { CommandSpec } from '../args.js';
import { listAndConfirm, reportSurvivors, type CliContext } from '../context.js';

/** `stop [--force] [--timeout S]`. */
export const stopSpec: CommandSpec = {
  options: { force: 'boolean', timeout: 'number' },
  maxPositional: 0,
  usage: 'bbia-safe stop [--force] [--timeout S]',
};

/** Stops the instance's whole tree after listing it and asking; removes the lock files. */
export async function stop(ctx: CliContext, options: { force?: boolean; timeout?: number }): Promise<number> {
  const { engine, io, t } = ctx;
  const plan = engine.planStop();
  for (const w of plan.inspection.warnings) io.err(t('warning', { text: w }));
  const live = plan.inspection.live;
  if (!live) {
    const removed = engine.clearStale();
    io.out(t('noInstance'));
    if (removed.length > 0) io.out(t('removedStale', { files: removed.join(', ') }));
    const robot = engine.snapshot().processes.find((p) => p.kind === 'robot');
    if (robot) io.out(t('handRobot', { pid: robot.pid }));
    return 0;
  }
  const timeout = options.timeout ?? engine.settings.stopTimeout;
  await listAndConfirm(ctx, t('willStop', { state: live.state, timeout }), plan.targets, options.force === true, 'confirm');
  const report = await engine.stop(plan, timeout * 1000);
  if (!report || reportSurvivors(ctx, report.survivors)) return 1;
  io.out(t('stopped', { n: report.targeted.length, ms: report.elapsedMs, killed: report.killed.length, escaped: report.escaped.length }));
  return 0;
}
