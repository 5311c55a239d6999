import { describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../main/engine/engine.js';
import { MachineSampler } from '../../main/engine/monitor/machine.js';
import { createPaths } from '../../main/engine/paths.js';
import type { PortReader } from '../../main/engine/scan/ports/index.js';
import { DEFAULT_SETTINGS } from '../../main/engine/settings/schema.js';
import { appTranslator } from '../../common/i18n/strings.js';
import { AppSupervisor } from '../../main/app/app-supervisor.js';
import { createStateService } from '../../main/app/state.js';
import { alive, assertNoForeignRobot, sandbox, track } from '../helpers.js';

vi.mock('electron', () => import('./electron-mock.js'));
const { createPopover } = await import('../../main/app/popover.js');

const tray = { x: 1000, y: 0, width: 22, height: 24 };

describe('a hidden popover: the poll forks one ps and nothing else (issue 12, point 1)', () => {
  it('reads no ports (lsof) and no memory (vm_stat) while hidden, both at once when shown, and stops again once hidden', async () => {
    assertNoForeignRobot();
    const { home, project } = sandbox();
    // The two readers that fork on macOS, counted: lsof for the ports, vm_stat for the memory
    const portCalls: number[][] = [];
    const ports: PortReader = {
      listening: async (pids) => (portCalls.push([...pids]), new Map(pids.map((p) => [p, [8000]]))),
      appSupervisor: async () => undefined,
    };
    let memoryReads = 0;
    const machine = new MachineSampler({ memory: async () => (++memoryReads, 4 * 1024 ** 3) });
    const engine = createEngine({ paths: createPaths({ home }), settings: { ...structuredClone(DEFAULT_SETTINGS), projectDir: project, stopTimeout: 2 }, ports });
    const appSupervisor = new AppSupervisor(engine);
    let popover: ReturnType<typeof createPopover> | undefined;
    const state = createStateService(engine, appSupervisor, { lang: 'en', t: appTranslator('en'), machine, looking: () => popover?.visible() ?? false });
    // As main/index.ts wires it
    popover = createPopover({ preload: '/p.cjs', index: '/i.html', trayBounds: () => tray, quitting: () => false, mac: false, onShown: () => void state.look() });
    const sup = await appSupervisor.start('headless', project);
    track(sup.record.pid);
    try {
      // Hidden: polls read the processes only; the robot is listed, without ports
      for (let i = 0; i < 3; i++) expect((await state.poll()).processes.find((p) => p.pid === sup.record.pid)?.ports).toEqual([]);
      expect(portCalls).toEqual([]);
      expect(memoryReads).toBe(0);

      // Shown: one poll at once reads both; the popover's own refresh (its visibilitychange) shares it
      popover.show(tray);
      const shown = await state.refresh();
      expect(shown.processes.find((p) => p.pid === sup.record.pid)?.ports).toEqual([8000]);
      expect(shown.machine?.usedMB).toBe(4096);
      expect(portCalls).toHaveLength(1);
      expect(portCalls[0]).toContain(sup.record.pid);
      expect(memoryReads).toBe(1);
      // While it shows, each poll reads the ports; the memory waits its 30 s
      await state.poll();
      expect(portCalls).toHaveLength(2);
      expect(memoryReads).toBe(1);

      // Hidden again (a tray click): nothing more
      popover.toggle(tray);
      expect(popover.visible()).toBe(false);
      await state.poll();
      await state.poll();
      expect(portCalls).toHaveLength(2);
      expect(memoryReads).toBe(1);
      // Shown again: the memory is read again at once, not 30 s later
      popover.show(tray);
      await state.refresh();
      expect(portCalls).toHaveLength(3);
      expect(memoryReads).toBe(2);
    } finally {
      await appSupervisor.stop('test cleanup');
    }
    expect(alive(sup.record.pid)).toBe(false);
  });
});
