import { formatAge } from '../../common/i18n/age.js';
import { formatMB } from '../../common/i18n/units.js';
import type { StatusReport } from '../engine/engine.js';
import { robotsOf } from '../engine/targets.js';
import type { Lang } from '../../common/i18n/fill.js';
import { reasonText } from '../../common/i18n/reasons.js';
import type { LastExit } from '../engine/supervise/last-exit.js';
import type { BbiaProcess } from '../engine/scan/scan.js';
import { exitHow, type Translate } from './i18n.js';


/** One process as two lines, indented under its BBIA parent: the figures, then the command below; `lang` adds why it is listed. */
export function formatProcess(p: BbiaProcess, t: Translate, now: number, lang?: Lang): string {
  const line = t('procLine', {
    kind: p.kind.padEnd(9),
    pid: p.pid,
    cpu: p.cpu.toFixed(1),
    mem: formatMB(p.memRss),
    age: formatAge(now - p.startedAt),
    ports: p.ports.length > 0 ? t('portsTag', { ports: p.ports.join(', ') }) : '',
    locked: p.locked ? t('lockedTag') : '',
  });
  const indent = '  '.repeat(Math.min(p.depth, 4));
  const why = lang ? `\n${indent}${t('whyLine', { why: reasonText(p.why, lang) })}` : '';
  return `${indent}${line}\n${indent}      ${p.command}${why}`;
}

/** The loud line when more than one robot runs, naming each; undefined with one robot or none. */
export function formatRobotsAlarm(report: StatusReport, t: Translate): string | undefined {
  const robots = robotsOf(report.processes);
  if (robots.length < 2) return undefined;
  const list = robots.map((r) => t(r.locked ? 'robotTagInstance' : 'robotTagHand', { pid: r.pid })).join('; ');
  return t('twoRobots', { n: robots.length, list });
}

/** The lock line of the status screen. */
export function formatLockLine(report: StatusReport, t: Translate, now: number, lockFile: string): string {
  const i = report.instance;
  if (i) {
    const vars = { sup: i.supervisorPid, pid: i.pid, mode: i.mode, age: formatAge(now - Date.parse(i.startedAt)) };
    return t(i.state === 'running' ? 'lockHeld' : 'lockOrphaned', vars);
  }
  return report.locked ? t('lockStale', { file: lockFile }) : t('lockFree');
}

/** The whole status screen, as the seed's tool printed it, with why each process is listed. */
export function formatStatus(report: StatusReport, t: Translate, now: number, lockFile: string, lang: Lang = 'en'): string {
  const lines = [formatLockLine(report, t, now, lockFile)];
  const alarm = formatRobotsAlarm(report, t);
  if (alarm) lines.push(alarm);
  if (report.processes.length === 0) lines.push(t('none'));
  else {
    lines.push(t('processes', { n: report.processes.length }));
    for (const p of report.processes) lines.push(formatProcess(p, t, now, lang));
  }
  if (report.projectRoots.length === 0) lines.push(t('noProjectKnown'));
  return lines.join('\n');
}

/** The contract's `status --json` document. */
export function statusJson(report: StatusReport): unknown {
  return {
    instance: report.instance,
    processes: report.processes.map((p) => ({
      pid: p.pid,
      ppid: p.ppid,
      kind: p.kind,
      locked: p.locked,
      cpu: p.cpu,
      memRss: p.memRss,
      startedAt: new Date(p.startedAt).toISOString(),
      command: p.command,
      reason: reasonText(p.why),
      ports: p.ports,
    })),
  };
}

/** The status line of a robot that ended on its own: a normal end of a timed run, or an exit to look into. */
export function formatLastExit(last: LastExit, t: Translate): string {
  const how = exitHow(t, last);
  return last.finished ? t('lastFinished', { pid: last.pid, mode: last.mode, how, at: last.at }) : t('lastExit', { pid: last.pid, how, at: last.at });
}
