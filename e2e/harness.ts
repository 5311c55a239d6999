import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, type Page } from 'playwright/test';
import { API_METHODS, type Channel } from '../common/contract.js';
import { createProcSource } from '../main/engine/scan/proc/source.js';
import { waitFor } from '../main/engine/wait.js';
import type { DialogAnswer, ShownDialog } from './harness/test-dialogs.js';
import { installShim } from './shim.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SERVER = path.join(ROOT, 'out', 'e2e', 'harness', 'server.js');
const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'project');

/** A running harness: its URL, its temp HOME and project, and the dialogs it shows. */
export interface Harness {
  /** Base URL of the popover. */
  url: string;
  /** The harness's HOME (a temp folder). */
  home: string;
  /** The BBIA-like project copied into it. */
  project: string;
  /** The lock file under that HOME. */
  lockFile: string;
  /** Waits for the next native dialog the app shows. */
  nextDialog(waitMs?: number): Promise<ShownDialog>;
  /** Answers the dialog on screen. */
  answer(answer: DialogAnswer): Promise<void>;
  /** Calls one IPC channel as the popover would (settings for a scenario, a bounded history read). */
  call(channel: Channel, request: unknown): Promise<unknown>;
}

/** The popover's size in points (main/popover.ts POPOVER_SIZE; that file imports electron). */
export const POPOVER_VIEWPORT = { width: 380, height: 620 } as const;

/** Starts a harness on a fresh temp HOME with the fake robot's knobs in `env`. */
export async function startHarness(env: Record<string, string>): Promise<{ harness: Harness; child: ChildProcess }> {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm run build first`);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bbia-e2e-'));
  const project = path.join(home, 'bbia-project');
  fs.cpSync(FIXTURE, project, { recursive: true });
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('BBIA_') && !k.startsWith('XDG_')) childEnv[k] = v;
  const child = spawn(process.execPath, [SERVER], { env: { ...childEnv, HOME: home, LANG: 'C', LC_ALL: '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += String(d)));
  if (!(await waitFor(() => /HARNESS_URL=(\S+)/.test(out) || child.exitCode !== null, 15_000))) throw new Error('the harness did not start');
  const url = /HARNESS_URL=(\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`the harness exited (${child.exitCode}): ${out}`);
  const harness: Harness = {
    url,
    home,
    project,
    lockFile: path.join(home, '.bbia_sim.lock'),
    async nextDialog(waitMs = 10_000) {
      const shown = (await (await fetch(`${url}/test/dialog?wait=${waitMs}`)).json()) as ShownDialog | null;
      if (!shown) throw new Error(`no dialog was shown within ${waitMs} ms`);
      return shown;
    },
    async answer(answer) {
      const r = (await (await fetch(`${url}/test/dialog`, { method: 'POST', body: JSON.stringify(answer) })).json()) as { answered: boolean };
      if (!r.answered) throw new Error('there was no dialog to answer');
    },
    async call(channel, request) {
      const response = await fetch(`${url}/ipc/${channel}`, { method: 'POST', body: JSON.stringify({ request }) });
      const value: unknown = await response.json();
      if (!response.ok) throw new Error(`${channel}: ${(value as { error: string }).error}`);
      return value;
    },
  };
  return { harness, child };
}

/** Stops a harness (it stops its robot's tree first) and removes its HOME. */
export async function stopHarness(started: { harness: Harness; child: ChildProcess }): Promise<void> {
  started.child.kill('SIGTERM');
  await waitFor(() => started.child.exitCode !== null || started.child.signalCode !== null, 15_000);
  fs.rmSync(started.harness.home, { recursive: true, force: true });
}

/** Opens the popover of a harness in a page, with the shim in place of the preload. */
export async function openPopover(page: Page, harness: Harness): Promise<void> {
  await page.setViewportSize(POPOVER_VIEWPORT);
  await page.addInitScript(installShim, { ...API_METHODS });
  await page.goto(harness.url);
}

/** Playwright's test with a `harness` per worker: one temp HOME, one real engine, stopped at the end. */
export const test = base.extend<object, { harness: Harness }>({
  harness: [
    async ({ playwright: _playwright }, use) => {
      // A busy robot with two helpers: a real tree with real CPU figures
      const started = await startHarness({ BBIA_FAKE_BUSY: '1', BBIA_FAKE_CHILDREN: '2' });
      try {
        await use(started.harness);
      } finally {
        await stopHarness(started);
      }
    },
    { scope: 'worker' },
  ],
});

/** True while the PID exists and is not a zombie (read through the engine's reader: /proc on Linux, ps on macOS). */
export function alive(pid: number): boolean {
  return createProcSource().read(pid) !== undefined;
}

/** argv[0] of a live PID as it is now (a fresh reader: an exec is always seen), or '' once it is gone. */
export function argv0(pid: number): string {
  return createProcSource().read(pid)?.argv[0] ?? '';
}

export { expect } from 'playwright/test';
