import { describe, expect, it, vi } from 'vitest';
import { expectedApi } from '../../e2e-electron/expected-api.js';

vi.mock('electron', () => import('./electron-mock.js'));
const { contextBridge, ipcRenderer } = await import('./electron-mock.js');
await import('../../preload/index.js');

describe('the preload api', () => {
  it('exposes exactly the methods the packaged-app test expects, each invoking its channel', async () => {
    const api = contextBridge.exposed.get('bbia') as Record<string, (request?: unknown) => Promise<unknown>>;
    // The packaged-app test (e2e-electron/app.spec.ts, macOS job) compares window.bbia with this same list
    expect(Object.keys(api).toSorted()).toEqual(expectedApi());
    await api.getHistory!({ samples: 5 });
    await api.openLog!();
    expect(ipcRenderer.invoked).toEqual([
      ['history:get', { samples: 5 }],
      ['log:open', null],
    ]);
  });
});
