/** The `electron` stand-in's BrowserWindow (electron-mock.ts re-exports it): what main/app/popover.ts and main/app/dialogs.ts use. */
import { EventEmitter } from 'node:events';

/** A web contents: records its listeners; denies nothing by itself. */
class WebContents extends EventEmitter {
  setWindowOpenHandler() {}
}

/** BrowserWindow: visibility, position and destruction as Electron keeps them; records every call. */
export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = [];
  static getAllWindows = () => BrowserWindow.all.filter((w) => !w.destroyed);
  readonly webContents = new WebContents();
  visible = false;
  destroyed = false;
  calls: string[] = [];
  constructor(readonly options: unknown) {
    super();
    BrowserWindow.all.push(this);
  }
  #check(call: string) {
    // Electron throws "Object has been destroyed" on any call to a destroyed window
    if (this.destroyed) throw new TypeError(`Object has been destroyed (${call})`);
    this.calls.push(call);
  }
  setVisibleOnAllWorkspaces() {
    this.#check('setVisibleOnAllWorkspaces');
  }
  async loadFile() {
    this.#check('loadFile');
  }
  setPosition(x: number, y: number) {
    this.#check(`setPosition ${x},${y}`);
  }
  isVisible() {
    this.#check('isVisible');
    return this.visible;
  }
  isDestroyed() {
    return this.destroyed;
  }
  show() {
    this.#check('show');
    this.visible = true;
  }
  focus() {
    this.#check('focus');
  }
  hide() {
    this.#check('hide');
    this.visible = false;
  }
  /** What Electron does on ⌘W (File ▸ Close): `close`, then destroyed unless a listener prevented it. */
  close() {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      this.visible = false;
      this.destroyed = true;
    }
  }
}
