import { app, dialog } from 'electron';
import type { ConfirmRequest, DialogPort } from './ipc/ports.js';

/** Keeps the popover open while a dialog is up (it would hide on blur otherwise). */
export interface DialogHost {
  /** Runs `show` with the popover held open. */
  holdOpen<T>(show: () => Promise<T>): Promise<T>;
}

/** The dialog port on Electron's native dialogs: Cancel is the default and the cancel button. */
export function electronDialogs(host: DialogHost): DialogPort {
  return {
    confirm(request: ConfirmRequest): Promise<boolean> {
      return host.holdOpen(async () => {
        // A menu-bar app is not the active app: bring it forward, or the dialog opens behind others
        app.focus({ steal: true });
        const { response } = await dialog.showMessageBox({
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
      return host.holdOpen(async () => {
        app.focus({ steal: true });
        const result = await dialog.showOpenDialog({ title, defaultPath, properties: ['openDirectory', 'dontAddToRecent'] });
        return result.canceled ? undefined : result.filePaths[0];
      });
    },
  };
}
