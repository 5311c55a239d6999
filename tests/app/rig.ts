import { createEngine } from '../../main/engine/engine.js';
import { createPaths } from '../../main/engine/paths.js';
import { DEFAULT_SETTINGS, type Settings } from '../../main/engine/settings/schema.js';
import { appTranslator } from '../../common/i18n/strings.js';
import { createHandlers } from '../../main/ipc/handlers.js';
import { AppSupervisor } from '../../main/app/app-supervisor.js';
import type { ConfirmRequest, DialogPort } from '../../main/ipc/ports.js';
import { createStateService, type StateOptions } from '../../main/app/state.js';

/** A dialog port whose answer the test sets, recording every question. */
export class AnsweringDialogs implements DialogPort {
  /** Every confirmation shown. */
  asked: ConfirmRequest[] = [];
  /** The answer to the next confirmations. */
  answer = false;
  /** The folder the picker returns. */
  folder: string | undefined;
  /** When set, a confirmation listing any other PID is refused, whatever `answer` says (never signal what the test did not start). */
  onlyPids: ReadonlySet<number> | undefined;
  async confirm(request: ConfirmRequest): Promise<boolean> {
    this.asked.push(request);
    if (this.onlyPids && !request.targets.every((p) => this.onlyPids!.has(p.pid))) return false;
    return this.answer;
  }
  async pickFolder(): Promise<string | undefined> {
    return this.folder;
  }
}

/** A shell port that records the files it was asked to open. */
export class RecordingShell {
  /** Every file opened. */
  opened: string[] = [];
  async openPath(file: string): Promise<string> {
    this.opened.push(file);
    return '';
  }
}

/** Options of {@link appRig}: settings over the test defaults, and state service options. */
export interface RigOptions {
  /** Settings over the defaults (project folder, 2 s stop timeout). */
  settings?: Partial<Settings>;
  /** Hears every monitor poll (notifications). */
  onPoll?: StateOptions['onPoll'];
  /** Hears every end of the supervised robot. */
  onEnded?: ConstructorParameters<typeof AppSupervisor>[1];
  /** Sample the whole machine too (off by default: faster). */
  machine?: boolean;
}

/** The app's electron-free core on a temp HOME: real engine, appSupervisor, state service and handler table. */
export function appRig(home: string, projectDir: string, options: RigOptions = {}) {
  const engine = createEngine({ paths: createPaths({ home }), settings: { ...structuredClone(DEFAULT_SETTINGS), projectDir, stopTimeout: 2, ...options.settings } });
  const t = appTranslator('en');
  const appSupervisor = new AppSupervisor(engine, options.onEnded);
  const state = createStateService(engine, appSupervisor, { lang: 'en', t, minIntervalMs: 0, machine: options.machine ?? false, onPoll: options.onPoll });
  const dialogs = new AnsweringDialogs();
  const shell = new RecordingShell();
  let saved: Settings = engine.settings;
  const settings = { read: () => saved, write: (patch: Partial<Settings>) => (saved = { ...saved, ...patch }) };
  const table = createHandlers({ engine, dialogs, appSupervisor, state, settings, shell, t });
  return { engine, t, appSupervisor, state, dialogs, shell, table };
}
