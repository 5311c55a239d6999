import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock.js'));

const { ipcMain } = await import('./electron-mock.js');
const { isChannel } = await import('../../common/contract.js');
const { VALIDATORS } = await import('../../main/ipc/validators.js');
const { dispatch, IpcRefusal } = await import('../../main/ipc/handlers.js');
const { registerIpc } = await import('../../main/ipc/register.js');

/** A handler table that records what reached it. */
function recordingTable() {
  const reached: [string, unknown][] = [];
  const table = Object.fromEntries(Object.keys(VALIDATORS).map((c) => [c, async (r: unknown) => (reached.push([c, r]), { ok: true, message: c })]));
  return { reached, table: table as never };
}

describe('the IPC contract validators', () => {
  const bad: [string, unknown][] = [
    ['robot:start', { mode: 'rm -rf /' }],
    ['robot:start', { mode: 'headless', pid: 1 }],
    ['robot:start', 'headless'],
    ['robot:stop', { force: 'yes' }],
    ['robot:stop', {}],
    ['process:stop', { pid: 123 }],
    ['process:stop', { id: '123' }],
    ['process:stop', { id: '-1:abc' }],
    ['process:stop', { id: '1:2; kill -9 1' }],
    ['settings:set', {}],
    ['settings:set', { python: '' }],
    ['settings:set', { stopTimeout: 0 }],
    ['settings:set', { pollInterval: 10 }],
    ['settings:set', { projectDir: 'relative/dir' }],
    ['settings:set', { runaway: { cpuPercent: 1 } }],
    ['settings:set', { __proto__: { python: 'x' } }],
    ['state:get', { anything: 1 }],
    ['processes:kill-all', [1, 2]],
    ['settings:set', { runaway: { cpuPercent: 90, sustainSeconds: 60, memoryMB: 2048, extra: 1 } }],
    ['settings:set', { leftoverMinutes: -1 }],
    ['history:get', { samples: 100_000 }],
    ['history:get', { samples: 2.5 }],
    ['history:get', null],
    ['leftovers:cleanup', { pids: [1] }],
    ['log:open', { file: '/etc/passwd' }],
    // Ranges come from the settings schema, one definition for the file and for IPC
    ['settings:set', { stopTimeout: 600.5 }],
    ['settings:set', { runaway: { cpuPercent: 90, sustainSeconds: 60, memoryMB: 16 * 1024 * 1024 + 1 } }],
    ['settings:set', { python: 'x'.repeat(1025) }],
    ['settings:set', { python: 'python3\0rm' }],
    ['settings:set', { robotArgs: ['--model', 'a\0b'] }],
    ['settings:set', { robotArgs: Array.from({ length: 65 }, () => '-v') }],
    ['settings:set', { logMaxMB: 5 }],
  ];
  it.each(bad)('refuses %s %j', (channel, payload) => {
    expect(isChannel(channel)).toBe(true);
    expect(VALIDATORS[channel as keyof typeof VALIDATORS](payload)).toBe(false);
  });

  const good: [string, unknown][] = [
    ['state:get', null],
    ['robot:start', { mode: 'test' }],
    ['robot:stop', { force: true }],
    ['process:stop', { id: '4242:3141592' }],
    ['settings:set', { stopTimeout: 2.5, confirmStop: false, projectDir: '/Users/me/bbia' }],
    ['settings:set', { runaway: { cpuPercent: 90, sustainSeconds: 60, memoryMB: 2048 }, leftoverMinutes: 0 }],
    ['settings:set', { stopTimeout: 600, robotArgs: ['--model', 'reachy_mini.xml'], runaway: { cpuPercent: 90, robotCpuPercent: 130, sustainSeconds: 180, memoryMB: 16 * 1024 * 1024 } }],
    ['history:get', { samples: 300 }],
    ['leftovers:cleanup', null],
    ['log:open', null],
  ];
  it.each(good)('accepts %s %j', (channel, payload) => {
    expect(VALIDATORS[channel as keyof typeof VALIDATORS](payload)).toBe(true);
  });

  it('dispatch refuses unknown channels and bad payloads before any handler runs', async () => {
    const { reached, table } = recordingTable();
    await expect(dispatch(table, 'shell:exec', null)).rejects.toThrow(IpcRefusal);
    await expect(dispatch(table, 'robot:start', { mode: 'evil' })).rejects.toThrow('refused: invalid request on robot:start');
    await expect(dispatch(table, 'robot:start', { mode: 'headless' })).resolves.toMatchObject({ ok: true });
    expect(reached).toEqual([['robot:start', { mode: 'headless' }]]);
  });
});

describe('registerIpc', () => {
  const mainFrame = { url: 'file:///app/out/renderer/index.html' };
  const popover = { id: 1, mainFrame } as never;
  const other = { id: 2, mainFrame: { url: 'https://evil.example' } } as never;

  it('registers every channel and refuses a sender other than the popover', async () => {
    const { reached, table } = recordingTable();
    const unregister = registerIpc(table, () => popover);
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.keys(VALIDATORS).sort());
    const stop = ipcMain.handlers.get('robot:stop')!;
    await expect(async () => stop({ sender: other, senderFrame: (other as { mainFrame: unknown }).mainFrame }, { force: false })).rejects.toThrow(/sender other than the popover/);
    // The popover's contents but a subframe: refused too
    await expect(async () => stop({ sender: popover, senderFrame: { url: 'about:blank' } }, { force: false })).rejects.toThrow(IpcRefusal);
    await expect(async () => stop({ sender: popover, senderFrame: mainFrame }, { force: 1 })).rejects.toThrow(/invalid request/);
    expect(reached).toEqual([]);
    await expect(stop({ sender: popover, senderFrame: mainFrame }, { force: false })).resolves.toMatchObject({ ok: true });
    expect(reached).toEqual([['robot:stop', { force: false }]]);
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });
});
