import type { SettingsView } from '../main/ipc/contract.js';
import { byId } from './format.js';

type Key = keyof SettingsView;
const TEXT: Key[] = ['python', 'defaultMode'];
const NUMBER: Key[] = ['stopTimeout', 'pollInterval', 'leftoverMinutes'];
const RUNAWAY = ['cpuPercent', 'sustainSeconds', 'memoryMB'] as const;
let shown: SettingsView | undefined;
const CHECK: Key[] = ['confirmStop', 'confirmBeforeQuit', 'notifications', 'launchAtLogin'];

/** Shows the settings in the form (not while the user edits a field). */
export function fillSettings(settings: SettingsView): void {
  shown = settings;
  for (const key of RUNAWAY) {
    const input = byId<HTMLInputElement>(`s-runaway-${key}`);
    if (document.activeElement !== input) input.value = String(settings.runaway[key]);
  }
  byId<HTMLInputElement>('s-projectDir').value = settings.projectDir;
  byId<HTMLInputElement>('s-projectDir').title = settings.projectDir;
  for (const key of [...TEXT, ...NUMBER]) {
    const input = byId<HTMLInputElement>(`s-${key}`);
    if (document.activeElement !== input) input.value = String(settings[key]);
  }
  for (const key of CHECK) byId<HTMLInputElement>(`s-${key}`).checked = settings[key] as boolean;
}

/** Wires the form: each field is saved when it changes; `report` shows the outcome. */
export function wireSettings(report: (ok: boolean, message: string) => void, refresh: () => void): void {
  const save = async (patch: Partial<SettingsView>) => {
    const result = await window.bbia.setSettings(patch);
    report(result.ok, result.message);
    fillSettings(result.settings);
    refresh();
  };
  for (const key of TEXT) byId<HTMLInputElement>(`s-${key}`).addEventListener('change', (e) => void save({ [key]: (e.target as HTMLInputElement).value }));
  for (const key of NUMBER) {
    byId<HTMLInputElement>(`s-${key}`).addEventListener('change', (e) => {
      const value = Number((e.target as HTMLInputElement).value);
      if (Number.isFinite(value)) void save({ [key]: value });
    });
  }
  // The thresholds are one setting: a change sends all three, the others as shown
  for (const key of RUNAWAY) {
    byId<HTMLInputElement>(`s-runaway-${key}`).addEventListener('change', (e) => {
      const value = Number((e.target as HTMLInputElement).value);
      if (shown && Number.isFinite(value)) void save({ runaway: { ...shown.runaway, [key]: value } });
    });
  }
  for (const key of CHECK) byId<HTMLInputElement>(`s-${key}`).addEventListener('change', (e) => void save({ [key]: (e.target as HTMLInputElement).checked }));
  byId('pick').addEventListener('click', async () => {
    const result = await window.bbia.pickProject();
    if (!result.cancelled) report(result.ok, result.message);
    fillSettings(result.settings);
    refresh();
  });
  byId('settings').addEventListener('submit', (e) => e.preventDefault());
}
