import { setTimeout as delay } from 'node:timers/promises';
import { sparkline } from '../../engine/monitor/history.js';
import { Monitor, type MonitorState } from '../../engine/monitor/monitor.js';
import { REREAD_EVERY } from '../../engine/scan/scan.js';
import type { CliContext } from '../context.js';
import { formatAge } from '../../../common/i18n/age.js';
import { formatMB } from '../../../common/i18n/units.js';
import { formatLastExit, formatLockLine } from '../format.js';
import { nextStopSignal } from '../signals.js';

const WIDTH = 30;

/** One frame of `status --watch`: the lock line, the machine, then each process with CPU and RAM sparklines. */
export function renderFrame(state: MonitorState, monitor: Monitor, ctx: CliContext): string {
  const { t } = ctx;
  const lines = [formatLockLine(state, t, state.at, ctx.engine.paths.lockFile)];
  const m = monitor.history.machine();
  if (state.machine) {
    lines.push(`machine   CPU ${state.machine.cpu.toFixed(1).padStart(5)}% ${sparkline(m.cpu, WIDTH, 100)}  RAM ${String(state.machine.usedMB).padStart(6)}MB`);
  }
  lines.push(state.processes.length === 0 ? t('none') : t('processes', { n: state.processes.length }));
  for (const p of state.processes) {
    const s = monitor.history.series(`${p.pid}:${p.startKey}`);
    const tag = state.runaways.some((r) => r.process.pid === p.pid) ? ` ${t('runawayTag')}` : state.leftovers.some((l) => l.pid === p.pid) ? ` ${t('leftoverTag')}` : '';
    lines.push(
      `  ${p.kind.padEnd(9)} PID ${String(p.pid).padEnd(7)} ${p.cpu.toFixed(1).padStart(6)}% ${sparkline(s?.cpu ?? [], WIDTH)} ${formatMB(p.memRss).padStart(7)}MB ${sparkline(s?.rssMB ?? [], 12)} ${formatAge(state.at - p.startedAt)}${tag}`,
    );
    lines.push(`      ${p.command.slice(0, 110)}`);
  }
  if (state.leftovers.length > 0) lines.push(t('leftoversLine', { n: state.leftovers.length }));
  if (state.lastExit) lines.push(formatLastExit(state.lastExit, t));
  lines.push('', t('watchFooter', { interval: monitor.history.capacity }));
  return lines.join('\n');
}

/** `status --watch`: a live view that redraws in place every poll and exits cleanly (cursor restored, exit 0) on Ctrl+C. */
export async function watch(ctx: CliContext, intervalMs: number): Promise<number> {
  // A view only: no row of it decides a signal, so it may read a process judged not BBIA less often (scan.ts)
  const monitor = new Monitor(ctx.engine, { intervalMs, rereadEvery: REREAD_EVERY });
  const tty = process.stdout.isTTY === true;
  let stop = false;
  // Listeners kept until exit (signals.ts)
  const { signal } = nextStopSignal();
  const stopped = signal.then(() => {
    stop = true;
  });
  if (tty) process.stdout.write('\x1b[?25l');
  try {
    await monitor.tick();
    while (!stop) {
      await Promise.race([delay(intervalMs), stopped]);
      if (stop) break;
      const frame = renderFrame(await monitor.tick(), monitor, ctx);
      // Home, draw, clear what the previous frame left below
      process.stdout.write(tty ? `\x1b[H${frame.replaceAll('\n', '\x1b[K\n')}\x1b[K\x1b[J` : `${frame}\n\n`);
    }
  } finally {
    if (tty) process.stdout.write('\x1b[?25h\n');
  }
  return 0;
}
