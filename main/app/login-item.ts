import { app } from 'electron';
import type { Settings } from '../engine/settings/schema.js';

/**
 * Applies "launch at login" (only in the packaged app: in development it would register the bare
 * Electron binary). Kept apart from settings.ts, whose electron-store cannot load without Electron.
 */
export function applyLoginItem(settings: Pick<Settings, 'launchAtLogin'>): void {
  if (app.isPackaged) app.setLoginItemSettings({ openAtLogin: settings.launchAtLogin });
}
