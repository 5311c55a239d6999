import { createEngine } from '../../main/engine/engine.js';
import { createPaths } from '../../main/engine/paths.js';
import { DEFAULT_SETTINGS, type Settings } from '../../main/engine/settings/schema.js';
import { appTranslator } from '../../main/i18n/strings.js';
import { createHandlers } from '../../main/ipc/handlers.js';
import { SupervisionHolder } from '../../main/ipc/holder.js';
import type { ConfirmRequest, DialogPort } from '../../main/ipc/ports.js';
import { createStateService } from '../../main/ipc/state.js';

/** A dialog port whose answer the test sets, recording every question. */
export class AnsweringDialogs implements DialogPort {
  /** Every confirmation shown. */
  asked: ConfirmRequest[] = [];
  /** The answer to the next confirmations. */
  answer = false;
  /** The folder the picker returns. */
  folder: string | undefined;
  async confirm(request: ConfirmRequest): Promise<boolean> {
    this.asked.push(request);
    return this.answer;
  }
  async pickFolder(): Promise<string | undefined> {
    return this.folder;
  }
}

/** The app's electron-free core on a temp HOME: real engine, holder, state service and handler table. */
export function appRig(home: string, projectDir: string) {
  const engine = createEngine({ paths: createPaths({ home }), settings: { ...structuredClone(DEFAULT_SETTINGS), projectDir, stopTimeout: 2 } });
  const t = appTranslator('en');
  const holder = new SupervisionHolder(engine);
  const state = createStateService(engine, holder, { lang: 'en', t, minIntervalMs: 0 });
  const dialogs = new AnsweringDialogs();
  let saved: Settings = engine.settings;
  const settings = { read: () => saved, write: (patch: Partial<Settings>) => (saved = { ...saved, ...patch }) };
  const table = createHandlers({ engine, dialogs, holder, state, settings, t });
  return { engine, t, holder, state, dialogs, table };
}
