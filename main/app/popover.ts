import { app, BrowserWindow, screen, type Rectangle, type WebContents } from 'electron';

/** The popover's size, in points. */
export const POPOVER_SIZE = { width: 380, height: 620 } as const;

/**
 * Where the popover goes: centred under the tray icon (menubar's `trayCenter` on macOS), kept inside
 * the work area, above the icon when the bar is at the bottom; integer coordinates, as setPosition needs.
 */
export function popoverPosition(tray: Rectangle, size: { width: number; height: number }, workArea: Rectangle): { x: number; y: number } {
  const centred = tray.x + tray.width / 2 - size.width / 2;
  const x = Math.min(Math.max(centred, workArea.x), workArea.x + workArea.width - size.width);
  const below = tray.y + tray.height / 2 < workArea.y + workArea.height / 2;
  const y = below ? Math.max(tray.y + tray.height, workArea.y) : tray.y - size.height;
  return { x: Math.round(x), y: Math.round(y) };
}

/** Denies navigation, new windows and webviews: the popover only ever shows its own page. */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The popover window and the behaviour of the menubar library. */
export interface Popover {
  /** Its web contents: the only sender IPC accepts. */
  readonly webContents: WebContents;
  /** Shows it under the tray icon, or hides it when it is visible (a tray click). */
  toggle(trayBounds: Rectangle): void;
  /** Shows it under the tray icon. */
  show(trayBounds?: Rectangle): void;
  /** Runs `show` while blur does not hide the popover (a native dialog is up). */
  holdOpen<T>(show: () => Promise<T>): Promise<T>;
  /** Shows the popover when hidden and returns its window, the parent of a dialog sheet; undefined once it is gone. */
  sheetParent(): BrowserWindow | undefined;
  /** True while it shows: the app's poll reads ports and memory only then (app/state.ts `looking`). */
  visible(): boolean;
}

/** What the popover needs from the app. */
export interface PopoverOptions {
  /** The preload script. */
  preload: string;
  /** The page. */
  index: string;
  /** Where the tray icon is now. */
  trayBounds: () => Rectangle;
  /** True once the app really quits: only then may the window close (⌘W and the like only hide it). */
  quitting: () => boolean;
  /** macOS behaviour (focus handed back with app.hide); the platform's by default. */
  mac?: boolean;
  /** Hears every show of a hidden popover (the app polls at once: ports and memory are read only while it shows). */
  onShown?: () => void;
}

/** Creates the popover: hidden, frameless, sandboxed, on every Space, hidden on blur and on close. */
export function createPopover(options: PopoverOptions): Popover {
  const mac = options.mac ?? process.platform === 'darwin';
  const win = new BrowserWindow({
    ...POPOVER_SIZE,
    show: false,
    frame: false,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // No middle-click navigation (Electronegativity AUXCLICK_JS_CHECK)
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenContents(win.webContents);
  win.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
  void win.loadFile(options.index);
  let held = 0;
  let blurHiddenAt = 0;
  let appHidden = false;
  const hide = () => {
    win.hide();
    // A hidden window leaves this app active with nothing to type into: on macOS, hiding the app hands
    // focus back to the app used before (menubar does the same, max-mapper/menubar#153). Only when no
    // other window of the app shows, since app.hide() hides them all.
    if (mac && !BrowserWindow.getAllWindows().some((w) => w !== win && w.isVisible())) {
      app.hide();
      appHidden = true;
    }
  };
  win.on('blur', () => {
    if (held > 0 || !win.isVisible()) return;
    hide();
    blurHiddenAt = Date.now();
  });
  // ⌘W (or any close) must not destroy the one popover: hide it instead, unless the app is quitting
  win.on('close', (event) => {
    if (options.quitting()) return;
    event.preventDefault();
    if (win.isVisible()) hide();
  });
  const show = (bounds = options.trayBounds()) => {
    if (win.isDestroyed()) return;
    const { workArea } = screen.getDisplayMatching(bounds);
    const { x, y } = popoverPosition(bounds, POPOVER_SIZE, workArea);
    win.setPosition(x, y, false);
    if (appHidden) {
      // Unhides the app (NSApp unhide) that hide() hid; the window itself is shown below
      app.show();
      appHidden = false;
    }
    const wasHidden = !win.isVisible();
    win.show();
    win.focus();
    if (wasHidden) options.onShown?.();
  };
  return {
    webContents: win.webContents,
    show,
    toggle(bounds) {
      if (win.isDestroyed()) return;
      // Clicking the icon of an open popover blurs it first: that click must close it, not reopen it
      if (win.isVisible()) hide();
      else if (Date.now() - blurHiddenAt > 250) show(bounds);
    },
    visible: () => !win.isDestroyed() && win.isVisible(),
    sheetParent() {
      if (win.isDestroyed()) return undefined;
      if (!win.isVisible()) show();
      return win;
    },
    async holdOpen(run) {
      held++;
      try {
        return await run();
      } finally {
        held--;
      }
    },
  };
}
