import type { AppState, ProcessView } from '../main/ipc/contract.js';
import { age, byId, el, megabytes, percent } from './format.js';
import type { Tr, Word } from './strings.js';

const MODES = ['graphical', 'headless', 'test'];

/** Renders the instance card and the reasons. */
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
  const reasons = byId('reasons');
  reasons.replaceChildren(...state.reasons.map((r) => el('li', '', r)));
}

/** One row of the process table; the command is the row's tooltip. */
function processRow(p: ProcessView, tr: Tr, now: number, onStop: (id: string) => void): HTMLTableRowElement {
  const row = el('tr', p.locked ? 'locked' : 'stray');
  row.title = p.command;
  row.dataset.id = p.id;
  const kind = el('td');
  kind.append(el('span', `kind kind-${p.kind}`, p.kind));
  row.append(kind, el('td', 'pid', String(p.pid)), el('td', 'num cpu', percent(p.cpu)), el('td', 'num ram', megabytes(p.memRss, tr('mb'))), el('td', 'num', age(now - p.startedAt)));
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

/** Renders the whole popover from one state. */
export function render(state: AppState, tr: Tr, onStopProcess: (id: string) => void, now = Date.now()): void {
  const root = byId('popover');
  root.dataset.health = state.health;
  byId('health').textContent = tr(state.health);
  renderInstance(state, tr, now);
  const tbody = byId('processes').querySelector('tbody')!;
  tbody.replaceChildren(...state.processes.map((p) => processRow(p, tr, now, onStopProcess)));
  byId('processes').hidden = state.processes.length === 0;
  byId('empty').hidden = state.processes.length > 0;
  byId('proc-count').textContent = String(state.processes.length);
  const busy = state.busy !== null;
  byId<HTMLButtonElement>('start').disabled = busy || state.instance !== null || !state.projectOk;
  byId<HTMLButtonElement>('stop').disabled = busy || state.instance === null;
  byId<HTMLButtonElement>('force-stop').disabled = busy || state.instance === null;
  byId<HTMLButtonElement>('kill-all').disabled = busy || state.processes.length === 0;
}
