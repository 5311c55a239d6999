import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../main/engine/engine.js';
import { createPaths } from '../main/engine/paths.js';
import { createDarwinSource } from '../main/engine/scan/proc/darwin.js';
import { DEFAULT_SETTINGS } from '../main/engine/settings/schema.js';
import { allGone, assertNoForeignRobot, LINUX, readyTree, sandbox, tempDir, track } from './helpers.js';

// The macOS reader on real processes: Linux's procps behind a shim that turns macOS's `ps -E` into procps's `e`
// (tests/fixtures/ps/procps-as-bsd.sh); on a Mac, its own /bin/ps
const SHIM = path.resolve(import.meta.dirname, 'fixtures', 'ps', 'procps-as-bsd.sh');
const PS = LINUX ? SHIM : '/bin/ps';

afterEach(() => vi.unstubAllEnvs());

describe('supervision on the macOS reader (issue 12, point 1)', () => {
  it('forks no tracking ps while the robot runs, and its stop still finds the daemonized descendant by the mark (one ps -E)', async () => {
    assertNoForeignRobot();
    const { home, project, ready } = sandbox();
    const log = path.join(tempDir(), 'ps.log');
    // Read by the shim (the reader runs ps in this process's environment) and inherited by the fake robot
    vi.stubEnv('PROCPS_LOG', log);
    vi.stubEnv('BBIA_FAKE_READY', ready);
    vi.stubEnv('BBIA_FAKE_CHILDREN', '2');
    vi.stubEnv('BBIA_FAKE_DAEMON', '1');
    const source = createDarwinSource({ ps: PS });
    const engine = createEngine({ paths: createPaths({ home }), settings: { ...structuredClone(DEFAULT_SETTINGS), projectDir: project, stopTimeout: 2 }, source });
    const sup = await engine.supervise({ mode: 'headless', projectDir: project, log: () => {} });
    track(sup.record.pid);
    const { pid, tree } = await readyTree(ready);
    const daemon = tree.at(-1)!;
    // No link left to the robot: not its child, not in its group
    const d = source.read(daemon)!;
    expect([pid, ...tree]).not.toContain(d.ppid);
    expect(d.pgid).not.toBe(pid);

    // Three ticks of the supervisor's timer (1 s on this reader): nothing forked, the log's size checked by a stat
    const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
    const before = calls().length;
    await delay(3200);
    expect(calls().slice(before)).toEqual([]);

    // Nothing fed it (no poll, as in a foreground start on a Mac): the stop finds the daemon by its mark alone
    const end = await sup.stop('test');
    expect(end.report?.targeted.map((p) => p.pid)).toContain(daemon);
    expect(await allGone([pid, ...tree], 2000)).toBe(true);
    expect(calls().filter((c) => c.startsWith('-xwwE ')).length).toBeGreaterThanOrEqual(1);
  });
});
