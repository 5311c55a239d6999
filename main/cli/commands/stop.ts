import { logLine } from '../../../common/i18n/engine-text.js';
import { robotsOf } from '../../engine/targets.js';
import { BbiaError, ExitCode } from '../../engine/errors.js';
import { quote, type CommandSpec } from '../args.js';
import { listAndConfirm, reportSurvivors, type CliContext } from '../context.js';

/** `stop [--force] [--timeout S] [--pid PID]`. */
export const stopSpec: CommandSpec = {
  options: { force: 'boolean', timeout: 'number', pid: 'string' },
  maxPositional: 0,
  usage: 'bbia-safe stop [--force] [--timeout S] [--pid PID]',
};

/** `stop --pid PID`: one robot that bbia-safe did not start, with its tree, identity-checked; nothing else. */
async function stopPid(ctx: CliContext, raw: string, options: { force?: boolean; timeout?: number }): Promise<number> {
  const { engine, io, t } = ctx;
  const pid = Number(raw);
  if (!/^\d{1,10}$/.test(raw) || !Number.isSafeInteger(pid) || pid < 1) {
    throw BbiaError.of('pidBad', { value: quote(raw) }, ExitCode.usage, { key: 'usage', vars: { usage: stopSpec.usage } });
  }
  const { target, tree } = engine.planStopPid(pid);
  const timeout = options.timeout ?? engine.settings.stopTimeout;
  await listAndConfirm(ctx, t('willStopPid', { pid, timeout }), tree, options.force === true, 'confirm');
  const report = await engine.stopOne(target, timeout * 1000);
  if (reportSurvivors(ctx, report.survivors)) return 1;
  io.out(t('stoppedPid', { pid, n: report.targeted.length, ms: report.elapsedMs, killed: report.killed.length }));
  return 0;
}

/** Stops the instance's whole tree after listing it and asking; removes the lock files. With `--pid`, one other robot. */
export async function stop(ctx: CliContext, options: { force?: boolean; timeout?: number; pid?: string }): Promise<number> {
  if (options.pid !== undefined) return stopPid(ctx, options.pid, options);
  const { engine, io, t } = ctx;
  const plan = engine.planStop();
  for (const w of plan.inspection.warnings) io.err(t('warning', { text: logLine(ctx.lang, w) }));
  const live = plan.inspection.live;
  if (!live) {
    const removed = await engine.clearStale();
    io.out(t('noInstance'));
    if (removed.length > 0) io.out(t('removedStale', { files: removed.join(', ') }));
    const robot = robotsOf(engine.snapshot().processes).find((p) => !p.locked);
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
