import { formatMB } from '../../common/i18n/units.js';
import type { AppTranslate } from '../../common/i18n/strings.js';
import type { ConfirmRequest, ConfirmTarget } from '../ipc/ports.js';

/** The most processes a confirmation lists one by one; the rest are counted ("…and 12 more"), so a box with many leftovers still fits the screen. */
export const LISTED_TARGETS = 10;

/** The list of a confirmation: one line of figures per process, its command below; past {@link LISTED_TARGETS}, a count. */
export function targetLines(targets: readonly ConfirmTarget[], t: AppTranslate): string {
  const lines = targets
    .slice(0, LISTED_TARGETS)
    .map((p) => `${t('procLine', { pid: p.pid, cpu: p.cpu.toFixed(1), mem: formatMB(p.memRss), kind: p.kind })}\n    ${p.command}`);
  if (targets.length > LISTED_TARGETS) lines.push(t('andMore', { n: targets.length - LISTED_TARGETS }));
  return lines.join('\n');
}

const pick = (p: ConfirmTarget): ConfirmTarget => ({ pid: p.pid, kind: p.kind, cpu: p.cpu, memRss: p.memRss, command: p.command });

/** Words a confirmation of one kind over its targets, exactly as every transport shows it. */
export function confirmRequest(
  kind: ConfirmRequest['kind'],
  targets: readonly ConfirmTarget[],
  t: AppTranslate,
  vars: { timeout?: number; pid?: number; minutes?: number } = {},
): ConfirmRequest {
  const n = targets.length;
  const list = targetLines(targets, t);
  const words: Record<ConfirmRequest['kind'], [string, string, string, string]> = {
    stop: [t('stopTitle'), t('stopMessage', { n }), t('stopDetail', { timeout: vars.timeout ?? 5 }), t('stop')],
    'force-stop': [t('stopTitle'), t('forceMessage', { n }), t('forceDetail'), t('forceStop')],
    'stop-process': [t('stopTitle'), t('killOneMessage', { kind: targets[0]?.kind ?? '' }), t('stopDetail', { timeout: vars.timeout ?? 5 }), t('stop')],
    'kill-all': [t('killAllTitle'), t('killAllMessage', { n }), t('killAllDetail'), t('killAll')],
    cleanup: [t('cleanupTitle'), t('cleanupMessage', { n }), t('cleanupDetail', { minutes: vars.minutes ?? 0, timeout: vars.timeout ?? 5 }), t('cleanupConfirm')],
    quit: [t('quitTitle'), t('quitMessage', { pid: vars.pid ?? targets[0]?.pid ?? '' }), t('quitDetail'), t('stopAndQuit')],
  };
  const [title, message, intro, confirmLabel] = words[kind];
  return { kind, title, message, detail: `${intro}\n\n${list}`, confirmLabel, cancelLabel: t('cancel'), targets: targets.map(pick) };
}
