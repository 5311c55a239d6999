/**
 * A stand-in for the `electron` module (the binary cannot be downloaded here, and importing the real
 * package would try to): only what main/ uses, recording what it is asked. Use with
 * `vi.mock('electron', () => import('./electron-mock.js'))`.
 */
import { EventEmitter } from 'node:events';
import { BrowserWindow } from './electron-mock-window.js';

export { BrowserWindow };

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

/** Menu: keeps the template; records the application menu set. */
export const Menu = {
  applicationMenu: undefined as { template: unknown[] } | undefined,
  buildFromTemplate: (template: unknown[]) => ({ template }),
  setApplicationMenu(menu: { template: unknown[] } | null) {
    this.applicationMenu = menu ?? undefined;
  },
};

/** dialog: answers set by the test; `calls` holds the options, `parents` the window each box was attached to (undefined: app-modal). */
export const dialog = {
  response: 0,
  calls: [] as unknown[],
  parents: [] as unknown[],
  async showMessageBox(...args: unknown[]) {
    const [parent, options] = args.length > 1 ? args : [undefined, args[0]];
    this.parents.push(parent);
    this.calls.push(options);
    return { response: this.response };
  },
  async showOpenDialog(...args: unknown[]) {
    this.parents.push(args.length > 1 ? args[0] : undefined);
    return { canceled: true, filePaths: [] };
  },
};

/** app: an event emitter with the calls main makes; records the login item settings and each hide, show and focus. */
export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  name: 'bbia-safe',
  loginItems: [] as unknown[],
  calls: [] as string[],
  focus() {
    this.calls.push('focus');
  },
  hide() {
    this.calls.push('hide');
  },
  show() {
    this.calls.push('show');
  },
  getLocale: () => 'en-US',
  quit() {},
  exit() {},
  setLoginItemSettings(settings: unknown) {
    this.loginItems.push(settings);
  },
});

/** powerSaveBlocker: the blockers started and not yet stopped, by id. */
export const powerSaveBlocker = {
  next: 1,
  active: new Map<number, string>(),
  start(type: string) {
    const id = this.next++;
    this.active.set(id, type);
    return id;
  },
  stop(id: number) {
    this.active.delete(id);
  },
  isStarted(id: number) {
    return this.active.has(id);
  },
};

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

/** screen: one display whose work area is under a 25 pt menu bar. */
export const screen = {
  getDisplayMatching: () => ({ workArea: { x: 0, y: 25, width: 1440, height: 875 } }),
};

/** contextBridge: what the preload exposes, by name. */
export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(name: string, api: unknown) {
    this.exposed.set(name, api);
  },
};

/** ipcRenderer: records every invoke. */
export const ipcRenderer = {
  invoked: [] as [string, unknown][],
  async invoke(channel: string, request: unknown) {
    this.invoked.push([channel, request]);
    return null;
  },
};

export default { ipcMain, nativeImage, Tray, Menu, dialog, app, Notification, shell, screen, BrowserWindow, powerSaveBlocker, contextBridge, ipcRenderer };
