/**
 * The preload of the popover: exposes one small api, built from the IPC contract, as `window.bbia`.
 * Sandboxed preloads can only require `electron` (and a few Node built-ins), so scripts/build-app.mjs
 * bundles this file and the contract into one CommonJS file.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from '../common/contract.js';

/** The popover's api: one method per contract channel, nothing else (no raw ipcRenderer). */
export const api = createApi((channel, request) => ipcRenderer.invoke(channel, request));

contextBridge.exposeInMainWorld('bbia', api);
