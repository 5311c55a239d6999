import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Channel } from '../../common/contract.js';
import { VALIDATORS } from './validators.js';
import { dispatch, IpcRefusal, type HandlerTable } from './handlers.js';

/** True only for the popover's own main frame. */
export function isPopoverSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, popover: WebContents | undefined): boolean {
  return popover !== undefined && event.sender === popover && event.senderFrame !== null && event.senderFrame === popover.mainFrame;
}

/** Wires the handler table to ipcMain.handle: the sender is checked, then the payload validated. Returns the unregister. */
export function registerIpc(table: HandlerTable, popover: () => WebContents | undefined): () => void {
  const channels = Object.keys(VALIDATORS) as Channel[];
  for (const channel of channels) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!isPopoverSender(event, popover())) throw new IpcRefusal(`refused: ${channel} from a sender other than the popover`);
      return dispatch(table, channel, payload);
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
