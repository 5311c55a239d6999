import type { Settings } from '../engine/settings/schema.js';

/** One line of a confirmation: what will be signalled, as the user saw it. */
export interface ConfirmTarget {
  /** Process ID. */
  pid: number;
  /** Kind of BBIA process. */
  kind: string;
  /** CPU % at the last scan. */
  cpu: number;
  /** Resident memory, bytes. */
  memRss: number;
  /** Command line. */
  command: string;
}

/** A confirmation, fully worded by the electron-free side so every transport shows the same text. */
export interface ConfirmRequest {
  /** What is asked. */
  kind: 'stop' | 'force-stop' | 'stop-process' | 'kill-all' | 'quit' | 'cleanup';
  /** Window title. */
  title: string;
  /** The question. */
  message: string;
  /** The list of what will be stopped (PID, CPU, RAM, command). */
  detail: string;
  /** Label of the button that proceeds. */
  confirmLabel: string;
  /** Label of the default button, which stops nothing. */
  cancelLabel: string;
  /** The processes concerned. */
  targets: ConfirmTarget[];
}

/** The native dialogs behind a port: Electron's `dialog` in the app, the test's answers in the e2e harness. */
export interface DialogPort {
  /** Asks; resolves true only when the user chose to proceed (Cancel is the default). */
  confirm(request: ConfirmRequest): Promise<boolean>;
  /** A folder picker; resolves undefined when cancelled. */
  pickFolder(title: string, defaultPath?: string): Promise<string | undefined>;
}

/** The settings file behind a port: electron-store in the app, conf in the harness (same file, same schema). */
export interface SettingsPort {
  /** The whole document in force. */
  read(): Settings;
  /** Writes some keys (already validated); returns the document in force. */
  write(patch: Partial<Settings>): Settings;
}

/** Opening files with the user's default app (`shell.openPath` in the app; recorded by the e2e harness). */
export interface ShellPort {
  /** Opens a file (Console.app opens .log on macOS); resolves with an error message, empty on success. */
  openPath(file: string): Promise<string>;
}
