import type { CommandSpec } from '../args.js';
import type { CliContext } from '../context.js';
import { formatStatus, statusJson } from '../format.js';

/** `status [--json]`. */
export const statusSpec: CommandSpec = { options: { json: 'boolean' }, maxPositional: 0, usage: 'bbia-safe status [--json]' };

/** Prints the instance and every BBIA process, CPU measured over 250 ms. */
export async function status(ctx: CliContext, options: { json?: boolean }): Promise<number> {
  const report = await ctx.engine.status(250);
  for (const w of report.warnings) ctx.io.err(ctx.t('warning', { text: w }));
  if (options.json) ctx.io.out(JSON.stringify(statusJson(report), null, 2));
  else ctx.io.out(formatStatus(report, ctx.t, Date.now(), ctx.engine.paths.lockFile));
  return 0;
}
