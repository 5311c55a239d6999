import { logLine } from '../../../common/i18n/engine-text.js';
import type { CommandSpec } from '../args.js';
import type { CliContext } from '../context.js';
import { readLastExit } from '../../engine/supervise/last-exit.js';
import { findLeftovers } from '../../engine/monitor/leftovers.js';
import { formatLastExit, formatRobotsAlarm, formatStatus, statusJson } from '../format.js';
import { watch } from './watch.js';

/** `status [--json]`. */
export const statusSpec: CommandSpec = {
  options: { json: 'boolean', watch: 'boolean', interval: 'number' },
  maxPositional: 0,
  usage: 'bbia-safe status [--json | --watch [--interval S]]',
};

/** Prints the instance and every BBIA process, CPU measured over 250 ms. */
export async function status(ctx: CliContext, options: { json?: boolean; watch?: boolean; interval?: number }): Promise<number> {
  if (options.watch) return watch(ctx, Math.max(250, (options.interval ?? 1) * 1000));
  const report = await ctx.engine.status(250);
  for (const w of report.warnings) ctx.io.err(ctx.t('warning', { text: logLine(ctx.lang, w) }));
  if (options.json) {
    const alarm = formatRobotsAlarm(report, ctx.t);
    if (alarm) ctx.io.err(alarm);
    ctx.io.out(JSON.stringify(statusJson(report), null, 2));
  }
  else {
    ctx.io.out(formatStatus(report, ctx.t, Date.now(), ctx.engine.paths.lockFile, ctx.lang));
    const leftovers = findLeftovers(report.processes, Date.now(), ctx.engine.settings.leftoverMinutes * 60_000);
    if (leftovers.length > 0) ctx.io.out(ctx.t('leftoversLine', { n: leftovers.length }));
    const last = report.instance ? undefined : readLastExit(ctx.engine.paths);
    if (last) ctx.io.out(formatLastExit(last, ctx.t));
  }
  return 0;
}
