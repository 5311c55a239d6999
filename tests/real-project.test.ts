import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { alive, allGone, assertEveryBbiaProcessOurs, assertNoForeignRobot, cli, tempDir } from './helpers.js';
import {
  cliStart, commandOf, freePort, httpOk, realSandbox, startClient, startDaemon, startHandRobot, startLookalikes, startServer, startSlowTest, statusJson,
  type JsonProcess, type Lookalike,
} from './real-project-helpers.js';

// Issue 10, points 1, 2 and 4, against processes shaped on the real bbia-sim project (tests/fixtures/bbia-sim)

beforeEach(() => assertNoForeignRobot());

/** Fails naming the look-alikes that a status lists. */
function expectNoLookalike(processes: readonly JsonProcess[], looks: readonly Lookalike[]): void {
  const listed = looks.filter((l) => processes.some((p) => p.pid === l.pid));
  expect(listed.map((l) => `${l.label} (PID ${l.pid}: ${commandOf(l.pid)})`), 'look-alikes listed as BBIA').toEqual([]);
}

/** Fails naming the look-alikes that are gone. */
function expectLookalikesAlive(looks: readonly Lookalike[]): void {
  expect(looks.filter((l) => !alive(l.pid)).map((l) => l.label), 'look-alikes signalled').toEqual([]);
}

describe('detection of the real project: what a process runs, not what it names', () => {
  it('lists the robot, servers, uvicorn worker and tracker, websocket clients and pytest with kind, reason and ports; no look-alike', async () => {
    const sb = realSandbox();
    const [pDash, pAdv, pGradio, pApi, pDaemon] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const dash = await startServer(sb, 'scripts/bbia_dashboard_server.py', ['--port', String(pDash)], pDash);
    const adv = await startServer(sb, 'scripts/bbia_advanced_dashboard_server.py', ['--backend', 'mujoco', '--port', String(pAdv)], pAdv);
    const gradio = await startServer(sb, 'scripts/dashboard_gradio.py', ['--port', String(pGradio)], pGradio);
    const api = await startServer(sb, 'scripts/start_public_api.py', ['--port', String(pApi)], pApi);
    const daemon = await startDaemon(sb, pDaemon);
    const telemetry = await startClient(sb, 'examples/subscribe_telemetry.py', pDash);
    const stateWs = await startClient(sb, 'examples/demo_state_ws.py', pDash);
    const slow = await startSlowTest(sb);
    const robot = await startHandRobot(sb);
    const looks = await startLookalikes(sb);

    const { processes } = await statusJson(sb.home, sb.project);
    const byPid = new Map(processes.map((p) => [p.pid, p]));
    const listed = (pid: number, kind: string | undefined, reason: RegExp): JsonProcess => {
      const p = byPid.get(pid);
      expect(p, `PID ${pid} (${commandOf(pid)}) is listed`).toBeDefined();
      if (kind) expect(p!.kind, `kind of ${commandOf(pid)}`).toBe(kind);
      expect(p!.reason, `reason of ${commandOf(pid)}`).toMatch(reason);
      expect(Array.isArray(p!.ports)).toBe(true);
      return p!;
    };
    listed(robot, 'robot', /launch_complete_robot\.py/);
    expect(listed(dash, 'server', /bbia_dashboard_server\.py/).ports).toContain(pDash);
    expect(listed(adv, 'server', /bbia_advanced_dashboard_server\.py/).ports).toContain(pAdv);
    expect(listed(gradio, 'server', /dashboard_gradio\.py/).ports).toContain(pGradio);
    expect(listed(api, 'server', /start_public_api\.py/).ports).toContain(pApi);
    const parent = listed(daemon.parent, 'server', /bbia_sim\.daemon\.app\.main|bbia_sim/);
    // The worker and the tracker run nothing of the project: listed because they descend from the server
    const byParent = new RegExp(`\\b${daemon.parent}\\b|uvicorn|bbia_sim\\.daemon`);
    const worker = listed(daemon.worker, undefined, byParent);
    const tracker = listed(daemon.tracker, undefined, byParent);
    expect([worker.ppid, tracker.ppid]).toEqual([daemon.parent, daemon.parent]);
    expect([...parent.ports, ...worker.ports]).toContain(pDaemon);
    listed(telemetry, 'websocket', /subscribe_telemetry\.py/);
    listed(stateWs, 'websocket', /demo_state_ws\.py/);
    listed(slow, 'test', /\S/);
    expectNoLookalike(processes, looks);
  });
});

describe('stops reach the whole tree of every target; look-alikes are never signalled', () => {
  it('kill-all --force takes the uvicorn --reload parent, worker and tracker (the port goes quiet) and says how many needed SIGKILL', async () => {
    const sb = realSandbox();
    const port = await freePort();
    const daemon = await startDaemon(sb, port);
    const slow = await startSlowTest(sb);
    const looks = await startLookalikes(sb);
    await assertEveryBbiaProcessOurs(sb.home, sb.project);

    const run = await cli(sb.home, ['kill-all', '--force'], { cwd: sb.project });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await allGone([daemon.parent, daemon.worker, daemon.tracker, slow], 5000)).toBe(true);
    expect(await httpOk(port)).toBe(false);
    // The four were SIGKILLed: the server's parent, worker and tracker, and the pytest
    expect(run.stdout).toMatch(/\b4 needed SIGKILL\b/);
    expectLookalikesAlive(looks);
  });

  it('cleanup stops the leftover pytest (ignores SIGTERM) and websocket client, says 1 needed SIGKILL; servers and look-alikes live on', async () => {
    const sb = realSandbox();
    expect((await cli(sb.home, ['config', 'set', 'leftoverMinutes', '0'])).code).toBe(0);
    const [pDash, pAdv] = [await freePort(), await freePort()];
    const dash = await startServer(sb, 'scripts/bbia_dashboard_server.py', ['--port', String(pDash)], pDash);
    const adv = await startServer(sb, 'scripts/bbia_advanced_dashboard_server.py', ['--backend', 'mujoco', '--port', String(pAdv)], pAdv);
    const telemetry = await startClient(sb, 'examples/subscribe_telemetry.py', pDash);
    const slow = await startSlowTest(sb);
    const looks = await startLookalikes(sb);
    await assertEveryBbiaProcessOurs(sb.home, sb.project);

    const run = await cli(sb.home, ['cleanup', '--force', '--timeout', '1'], { cwd: sb.project });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await allGone([slow, telemetry], 5000)).toBe(true);
    expect(run.stdout).toMatch(/\b1 needed SIGKILL\b/);
    // Servers are not leftovers, and the advanced dashboard is not a viewer for naming mujoco
    expect(alive(dash) && alive(adv)).toBe(true);
    expect(await httpOk(pAdv)).toBe(true);
    expectLookalikesAlive(looks);
  });
});

describe('project folders are learned', () => {
  it('says plainly when no project folder is known; start --project saves the first one; status elsewhere then sees its pytest', async () => {
    const sb = realSandbox();
    const slow = await startSlowTest(sb);
    const away = tempDir('bbia-away-');
    const blind = await cli(sb.home, ['status'], { cwd: away });
    expect(blind.code).toBe(0);
    expect(blind.stdout + blind.stderr).toMatch(/no (BBIA )?project folder[^\n]*test|test[^\n]*no (BBIA )?project folder/i);
    expect((await statusJson(sb.home, away)).processes.map((p) => p.pid)).not.toContain(slow);

    const run = await cliStart(sb, ['test', '--project', sb.project, '--', '--model', 'reachy_mini.xml'], {}, away);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse((await cli(sb.home, ['config', 'get', 'projectDir'])).stdout)).toBe(sb.project);
    expect((await statusJson(sb.home, away)).processes.find((p) => p.pid === slow)?.kind).toBe('test');
    const seen = await cli(sb.home, ['status'], { cwd: away });
    expect(seen.stdout + seen.stderr).not.toMatch(/no (BBIA )?project folder/i);

    // Saved once: a start in another project folder does not replace it
    const second = path.join(tempDir('bbia-second-'), 'bbia-sim');
    fs.cpSync(sb.project, second, { recursive: true });
    expect((await cliStart(sb, ['test', '--project', second, '--', '--model', 'reachy_mini.xml'], {}, away)).code).toBe(0);
    expect(JSON.parse((await cli(sb.home, ['config', 'get', 'projectDir'])).stdout)).toBe(sb.project);
  });

  it("learns the folder of a launcher found running: status elsewhere, with none saved, sees the project's pytest", async () => {
    const sb = realSandbox();
    const slow = await startSlowTest(sb);
    const robot = await startHandRobot(sb);
    const away = tempDir('bbia-away-');
    const kinds = new Map((await statusJson(sb.home, away)).processes.map((p) => [p.pid, p.kind]));
    expect(kinds.get(robot)).toBe('robot');
    expect(kinds.get(slow)).toBe('test');
  });
});
