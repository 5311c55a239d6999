import type { SettingsView } from '../common/contract.js';
import { formatRobotArgs, parseRobotArgs } from '../main/engine/settings/robot-args.js';
import { byId } from './format.js';

type Key = keyof SettingsView;
const TEXT: Key[] = ['python', 'defaultMode'];
const NUMBER: Key[] = ['stopTimeout', 'pollInterval', 'leftoverMinutes'];
const RUNAWAY = ['cpuPercent', 'robotCpuPercent', 'sustainSeconds', 'memoryMB'] as const;
let shown: SettingsView | undefined;
const CHECK: Key[] = ['confirmStop', 'confirmBeforeQuit', 'notifications', 'launchAtLogin'];

/** Shows the settings in the form (not while the user edits a field). */
export function fillSettings(settings: SettingsView): void {
  shown = settings;
  for (const key of RUNAWAY) {
    const input = byId<HTMLInputElement>(`s-runaway-${key}`);
    if (document.activeElement !== input) input.value = String(settings.runaway[key] ?? '');
  }
  const args = byId<HTMLInputElement>('s-robotArgs');
  if (document.activeElement !== args) args.value = formatRobotArgs(settings.robotArgs);
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
  // The launcher's arguments: a shell-like line or a JSON list; a line that does not parse is said so, nothing saved
  byId<HTMLInputElement>('s-robotArgs').addEventListener('change', (e) => {
    const parsed = parseRobotArgs((e.target as HTMLInputElement).value);
    if ('args' in parsed) void save({ robotArgs: parsed.args });
    else report(false, `robotArgs: ${parsed.problem[document.documentElement.lang === 'fr' ? 'fr' : 'en']}`);
  });
  for (const key of CHECK) byId<HTMLInputElement>(`s-${key}`).addEventListener('change', (e) => void save({ [key]: (e.target as HTMLInputElement).checked }));
  byId('pick').addEventListener('click', async () => {
    const result = await window.bbia.pickProject();
    if (!result.cancelled) report(result.ok, result.message);
    fillSettings(result.settings);
    refresh();
  });
  byId('settings').addEventListener('submit', (e) => e.preventDefault());
}
