/**
 * A stand-in for the `electron` module (the binary cannot be downloaded here, and importing the real
 * package would try to): only what main/ uses, recording what it is asked. Use with
 * `vi.mock('electron', () => import('./electron-mock.js'))`.
 */
import { EventEmitter } from 'node:events';

type Handler = (event: unknown, payload: unknown) => unknown;

/** ipcMain: handlers by channel, so a test can invoke them as the renderer would. */
export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle(channel: string, handler: Handler) {
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
};

/** A template image: remembers its file and whether it is a template. */
export const nativeImage = {
  createFromPath: (file: string) => ({ file, template: false, setTemplateImage(this: { template: boolean }, on: boolean) { this.template = on; } }),
};

/** Tray: records every image and tooltip it is given. */
export class Tray extends EventEmitter {
  static last: Tray | undefined;
  images: { file: string; template: boolean }[] = [];
  tooltip = '';
  constructor(image: { file: string; template: boolean }) {
    super();
    this.images.push(image);
    Tray.last = this;
  }
  setImage(image: { file: string; template: boolean }) {
    this.images.push(image);
  }
  setToolTip(tip: string) {
    this.tooltip = tip;
  }
  getBounds() {
    return { x: 1000, y: 0, width: 22, height: 24 };
  }
  popUpContextMenu() {}
}

/** Menu: keeps the template. */
export const Menu = { buildFromTemplate: (template: unknown[]) => ({ template }) };

/** dialog: answers set by the test. */
export const dialog = {
  response: 0,
  calls: [] as unknown[],
  async showMessageBox(options: unknown) {
    this.calls.push(options);
    return { response: this.response };
  },
  async showOpenDialog() {
    return { canceled: true, filePaths: [] };
  },
};

/** app: an event emitter with the calls main makes; records the login item settings. */
export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  loginItems: [] as unknown[],
  focus() {},
  getLocale: () => 'en-US',
  quit() {},
  exit() {},
  setLoginItemSettings(settings: unknown) {
    this.loginItems.push(settings);
  },
});

/** Notification: supported when the test says so; records every one shown, so a test can click its actions. */
export class Notification extends EventEmitter {
  static supported = false;
  static shown: Notification[] = [];
  static isSupported = () => Notification.supported;
  constructor(readonly options: { title: string; body: string; actions?: { type: string; text: string }[] }) {
    super();
  }
  show() {
    Notification.shown.push(this);
  }
}

/** shell: records the files it opens. */
export const shell = {
  opened: [] as string[],
  async openPath(file: string) {
    this.opened.push(file);
    return '';
  },
};

export const screen = {};
export const BrowserWindow = class {};
export default { ipcMain, nativeImage, Tray, Menu, dialog, app, Notification, shell, screen, BrowserWindow };
