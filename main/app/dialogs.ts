import { app, dialog, type BrowserWindow, type MessageBoxOptions, type OpenDialogOptions } from 'electron';
import type { ConfirmRequest, DialogPort } from '../ipc/ports.js';

/** The window dialogs attach to, and keeping it open while they are up. */
export interface DialogHost {
  /** Runs `show` with the popover held open (it would hide on blur otherwise). */
  holdOpen<T>(show: () => Promise<T>): Promise<T>;
  /** Shows the popover and returns its window; undefined when there is none (the dialog is then app-modal). */
  sheetParent(): BrowserWindow | undefined;
}

/**
 * Shows a message box as a sheet of the popover: a window-modal sheet leaves the main process running
 * (polls, supervision, the quit path), where a box with no parent window is app-modal. Without a popover,
 * the app is brought forward first, or the box opens behind the active app.
 */
async function messageBox(host: DialogHost, options: MessageBoxOptions): Promise<number> {
  const parent = host.sheetParent();
  if (parent) return (await dialog.showMessageBox(parent, options)).response;
  app.focus({ steal: true });
  return (await dialog.showMessageBox(options)).response;
}

/** An open panel, a sheet of the popover when it can show (as {@link messageBox}). */
async function openPanel(host: DialogHost, options: OpenDialogOptions): Promise<string | undefined> {
  const parent = host.sheetParent();
  if (!parent) app.focus({ steal: true });
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? undefined : result.filePaths[0];
}

/** The dialog port on Electron's native dialogs: Cancel is the default and the cancel button. */
export function electronDialogs(host: DialogHost): DialogPort {
  return {
    confirm(request: ConfirmRequest): Promise<boolean> {
      return host.holdOpen(async () => {
        const response = await messageBox(host, {
          type: request.kind === 'kill-all' || request.kind === 'force-stop' ? 'warning' : 'question',
          title: request.title,
          message: request.message,
          detail: request.detail,
          buttons: [request.cancelLabel, request.confirmLabel],
          defaultId: 0,
          cancelId: 0,
          noLink: true,
        });
        return response === 1;
      });
    },
    pickFolder(title: string, defaultPath?: string): Promise<string | undefined> {
      return host.holdOpen(() => openPanel(host, { title, defaultPath, properties: ['openDirectory', 'dontAddToRecent'] }));
    },
  };
}

/** Asks a question of the app's own (not worded by the engine) on the popover: resolves the button chosen. */
export function askOnPopover(host: DialogHost, options: MessageBoxOptions): Promise<number> {
  return host.holdOpen(() => messageBox(host, options));
}
