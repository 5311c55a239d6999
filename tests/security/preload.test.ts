/**
 * The review Electronegativity's PRELOAD_JS_CHECK asks for, re-checked on every run (that check is
 * switched off in .electronegativity.json for this reason): the built preload requires nothing but
 * electron, exposes one object, whose methods are the contract's API_METHODS, each invoking its own
 * channel only, and never exposes ipcRenderer.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { API_METHODS } from '../../common/contract.js';

const BUNDLE = path.resolve(import.meta.dirname, '..', '..', 'out', 'preload', 'index.cjs');

describe('the built preload (out/preload/index.cjs)', () => {
  it('exposes window.bbia = the contract api only, each method on its own channel', async () => {
    expect(fs.existsSync(BUNDLE), `${BUNDLE} is missing: run npm run build (npm test does)`).toBe(true);
    const required: string[] = [];
    const exposed: Record<string, unknown> = {};
    const invoked: unknown[][] = [];
    const ipcRenderer = { invoke: async (...args: unknown[]) => (invoked.push(args), null), send: () => {}, on: () => {} };
    const electron = { contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) }, ipcRenderer };
    const sandboxRequire = (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    };
    const module = { exports: {} as Record<string, unknown> };
    vm.runInNewContext(fs.readFileSync(BUNDLE, 'utf8'), { require: sandboxRequire, module, exports: module.exports, console });

    expect([...new Set(required)]).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['bbia']);
    const api = exposed.bbia as Record<string, (request?: unknown) => Promise<unknown>>;
    expect(Object.keys(api).toSorted()).toEqual(Object.keys(API_METHODS).toSorted());
    for (const value of Object.values(api)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(ipcRenderer.invoke);
    }
    expect(Object.values(api)).not.toContain(ipcRenderer);
    for (const [method, channel] of Object.entries(API_METHODS)) {
      invoked.length = 0;
      await api[method]!({ probe: method });
      expect(invoked.map((args) => args[0])).toEqual([channel]);
    }
  });
});
