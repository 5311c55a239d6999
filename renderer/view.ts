import type { AppState, HistoryView, ProcessView, SeriesView } from '../common/contract.js';
import { age, byId, el, megabytes, percent } from './format.js';
import { drawSpark, ownSpan, sparkSvg } from './sparkline.js';
import type { Tr, Word } from './strings.js';

const MODES = ['graphical', 'headless', 'test'];

/** The sparkline inside a container, created on first use. */
function sparkIn(container: HTMLElement, id: string): SVGSVGElement {
  let svg = container.querySelector<SVGSVGElement>(`#${id}`);
  if (!svg) {
    svg = sparkSvg(id.includes('ram') ? 'ram' : 'cpu');
    svg.id = id;
    container.append(svg);
  }
  return svg;
}

/** Draws a CPU and a RAM series into two containers (empty when there is no series). */
function drawPair(cpuCell: HTMLElement, ramCell: HTMLElement, prefix: string, series: SeriesView | null | undefined, span: string): void {
  drawSpark(sparkIn(cpuCell, `${prefix}-cpu-spark`), series?.cpu ?? [], 100);
  drawSpark(sparkIn(ramCell, `${prefix}-ram-spark`), series?.memMB ?? [], 1);
  cpuCell.title = ramCell.title = series ? span : '';
}

/** Renders the instance card. */
function renderInstance(state: AppState, tr: Tr, now: number): void {
  const i = state.instance;
  byId('inst-title').textContent = i ? tr('robot', { mode: MODES.includes(i.mode) ? tr(i.mode as Word) : i.mode }) : tr('noRobot');
  const badge = byId('inst-badge');
  badge.textContent = i ? `${tr(i.state === 'orphaned' ? 'orphaned' : 'locked')}${i.ownedByApp ? ` · ${tr('ownedByApp')}` : ''}` : '';
  badge.dataset.state = i?.state ?? '';
  byId('inst-meta').textContent = i ? tr('instanceMeta', { pid: i.pid, sup: i.supervisorPid }) : state.projectOk ? '' : tr('noProject');
  byId('inst-meta').title = i?.command ?? '';
  byId('inst-cpu').textContent = i ? percent(i.cpu) : '–';
  byId('inst-ram').textContent = i ? megabytes(i.memRss, tr('mb')) : '–';
  byId('inst-up').textContent = i ? age(now - i.startedAt) : '–';
  byId('inst-figures').hidden = !i;
}

/** Renders the machine strip. */
function renderMachine(state: AppState, tr: Tr): void {
  const m = state.machine;
  byId('machine').hidden = !m;
  byId('machine-cpu').textContent = m ? percent(m.cpu) : '–';
  byId('machine-ram').textContent = m ? `${(m.usedMB / 1024).toFixed(1)} ${tr('gb')}` : '–';
}

/** Renders the warning banner: what is wrong, and the cleanup button when there are leftovers. */
function renderBanner(state: AppState): void {
  byId('reasons').replaceChildren(...state.reasons.map((r) => el('li', '', r)));
  byId('banner').hidden = state.reasons.length === 0;
  byId('cleanup').hidden = !state.processes.some((p) => p.leftover);
}

/** Renders the robot log: its last lines, or how the last robot ended when it exited on its own. */
function renderLog(state: AppState, tr: Tr): void {
  const exit = state.instance ? null : state.lastExit;
  byId('log').hidden = !state.logExists && !exit;
  const note = byId('exit-note');
  note.hidden = !exit;
  if (exit) {
    const how = exit.exitCode !== null ? tr('exitCode', { code: exit.exitCode }) : tr('exitSignal', { signal: exit.signal ?? '?' });
    note.textContent = tr(exit.finished ? 'finished' : 'exited', { how, at: new Date(exit.at).toLocaleTimeString() });
  }
  // The newest lines, one per row (cut with an ellipsis; the whole line on hover), scrolled to the end
  const box = byId('log-lines');
  box.replaceChildren(...(exit ? exit.lastLines : state.logLines).map((line) => Object.assign(el('div', '', line), { title: line })));
  box.scrollTop = box.scrollHeight;
  byId<HTMLButtonElement>('open-log').disabled = !state.logExists;
}

/** One row of the process table; the command is the row's tooltip, CPU and RAM carry their sparklines. */
function processRow(p: ProcessView, tr: Tr, now: number, series: SeriesView | undefined, onStop: (id: string) => void): HTMLTableRowElement {
  const row = el('tr', [p.locked ? 'locked' : 'stray', p.runaway ? 'runaway' : '', p.leftover ? 'leftover' : ''].filter(Boolean).join(' '));
  const tag = p.runaway ? ` · ${tr('runawayTag')}` : p.leftover ? ` · ${tr('leftoverTag')}` : '';
  row.title = `${p.command}\n${p.reason}${tag}`;
  row.dataset.id = p.id;
  const kind = el('td');
  // Under its BBIA parent: indented one step per level
  if (p.depth > 0) kind.className = `depth-${Math.min(p.depth, 4)}`;
  kind.append(el('span', `kind kind-${p.kind}`, p.kind));
  if (p.ports.length > 0) kind.append(el('span', 'ports', ` :${p.ports.join(' :')}`));
  const cpu = el('td', 'num cpu spark-cell');
  const ram = el('td', 'num ram spark-cell');
  cpu.append(sparkSvg('cpu'));
  ram.append(sparkSvg('ram'));
  drawSpark(cpu.querySelector('svg')!, ownSpan(series?.cpu ?? []), 100);
  drawSpark(ram.querySelector('svg')!, ownSpan(series?.memMB ?? []), 1);
  cpu.append(el('span', 'v', percent(p.cpu)));
  ram.append(el('span', 'v', megabytes(p.memRss, tr('mb'))));
  row.append(kind, el('td', 'pid', String(p.pid)), cpu, ram, el('td', 'num', age(now - p.startedAt)));
  const cell = el('td', 'act');
  if (p.locked) {
    cell.append(el('span', 'lockmark', '●'));
    cell.title = tr('inInstance');
  } else {
    const stop = el('button', 'mini', '×');
    stop.type = 'button';
    stop.title = tr('stopOne');
    stop.setAttribute('aria-label', `${tr('stopOne')} ${p.pid}`);
    stop.addEventListener('click', () => onStop(p.id));
    cell.append(stop);
  }
  row.append(cell);
  return row;
}

/** Under the interpreter setting: what a start would run, or why it would be refused. */
function renderInterpreter(state: AppState, tr: Tr): void {
  const i = state.interpreter;
  const line = byId('s-python-resolved');
  line.classList.toggle('bad', i.problem !== undefined);
  const origin = { project: tr('originProject'), setting: tr('originSetting'), path: tr('originPath') }[i.origin ?? 'path'];
  line.textContent = i.problem ? `${i.problem.message} — ${i.problem.hint}` : tr('pythonResolved', { python: i.python ?? '', origin, graphical: i.graphical ?? '' });
}

/** Renders the whole popover from one state and the history's last samples. */
export function render(state: AppState, history: HistoryView | undefined, tr: Tr, onStopProcess: (id: string) => void, now = Date.now()): void {
  const root = byId('popover');
  root.dataset.health = state.health;
  byId('health').textContent = tr(state.health);
  renderInstance(state, tr, now);
  renderMachine(state, tr);
  renderBanner(state);
  renderLog(state, tr);
  renderInterpreter(state, tr);
  const span = history ? tr('span', { span: age(Math.max(1, (history.machine.cpu.length - 1) * history.intervalMs)) }) : '';
  drawPair(byId('inst-cpu-cell'), byId('inst-ram-cell'), 'inst', history?.instance, span);
  drawPair(byId('machine-cpu-cell'), byId('machine-ram-cell'), 'machine', history?.machine, span);
  const byProcess = new Map((history?.processes ?? []).map((s) => [s.id, s]));
  const tbody = byId('processes').querySelector('tbody')!;
  tbody.replaceChildren(...state.processes.map((p) => processRow(p, tr, now, byProcess.get(p.id), onStopProcess)));
  byId('processes').hidden = state.processes.length === 0;
  byId('empty').hidden = state.processes.length > 0;
  byId('proc-count').textContent = String(state.processes.length);
  const busy = state.busy !== null;
  byId<HTMLButtonElement>('start').disabled = busy || state.instance !== null || !state.projectOk;
  byId<HTMLButtonElement>('stop').disabled = busy || state.instance === null;
  byId<HTMLButtonElement>('force-stop').disabled = busy || state.instance === null;
  byId<HTMLButtonElement>('kill-all').disabled = busy || state.processes.length === 0;
  byId<HTMLButtonElement>('cleanup').disabled = busy;
}
