/** The popover: polls the state at the poll interval and sends the user's actions through `window.bbia`. */
import type { ActionResult, AppState, HistoryView } from '../common/contract.js';
import { byId } from './format.js';
import { fillSettings, wireSettings } from './settings-form.js';
import { translatePage, words, type Tr } from './strings.js';
import { render } from './view.js';

let tr: Tr = words('en');
let lang: string | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
let interval = 2000;
/** Samples per sparkline: the 10 minutes of history at the default poll interval, and a bounded payload. */
const HISTORY_SAMPLES = 300;

function report(ok: boolean, message: string): void {
  const line = byId('message');
  line.textContent = message;
  line.dataset.ok = String(ok);
}

function show(state: AppState, history: HistoryView | undefined): void {
  if (state.lang !== lang) {
    lang = state.lang;
    tr = words(state.lang);
    document.documentElement.lang = state.lang;
    translatePage(document, tr);
    byId<HTMLSelectElement>('mode').value = state.settings.defaultMode;
  }
  interval = state.settings.pollInterval;
  render(state, history, tr, (id) => void act(() => window.bbia.stopProcess({ id })));
  fillSettings(state.settings);
}

/** Reads the state now and schedules the next read at the poll interval. */
async function refresh(): Promise<void> {
  clearTimeout(timer);
  try {
    const state = await window.bbia.getState();
    // The sparklines are a bonus: a failed history read leaves them empty, never the popover
    const history = await window.bbia.getHistory({ samples: HISTORY_SAMPLES }).catch(() => undefined);
    show(state, history);
  } catch (error) {
    report(false, (error as Error).message);
  }
  timer = setTimeout(() => void refresh(), interval);
}

/** Runs one action, shows its outcome, and refreshes at once. */
async function act(action: () => Promise<ActionResult>): Promise<void> {
  for (const b of document.querySelectorAll<HTMLButtonElement>('.actions button, #kill-all, #cleanup')) b.disabled = true;
  try {
    const result = await action();
    report(result.ok, result.message);
  } catch (error) {
    report(false, (error as Error).message);
  }
  await refresh();
}

byId('start').addEventListener('click', () => {
  const mode = byId<HTMLSelectElement>('mode').value as 'graphical' | 'headless' | 'test';
  void act(() => window.bbia.start({ mode }));
});
byId('stop').addEventListener('click', () => void act(() => window.bbia.stop({ force: false })));
byId('force-stop').addEventListener('click', () => void act(() => window.bbia.stop({ force: true })));
byId('kill-all').addEventListener('click', () => void act(() => window.bbia.killAll()));
byId('cleanup').addEventListener('click', () => void act(() => window.bbia.cleanup()));
byId('open-log').addEventListener('click', () => void act(() => window.bbia.openLog()));
byId('open-settings').addEventListener('click', () => (byId('settings').hidden = !byId('settings').hidden));
byId('close-settings').addEventListener('click', () => (byId('settings').hidden = true));
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') byId('settings').hidden = true;
});
// A hidden popover (Electron's window between two clicks) refreshes as soon as it is shown again
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) void refresh();
});
wireSettings(report, () => void refresh());
void refresh();
