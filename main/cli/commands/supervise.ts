import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BbiaError, ExitCode } from '../../engine/errors.js';
import { KEEPER_STATE_ENV, keeperState } from '../../engine/keeper.js';
import type { CliContext } from '../context.js';
import { exitCodeOf, runSupervisor, SUPERVISOR_NODE_FLAGS, type DetachMessage, type StartRequest } from './start.js';

/** Sends to the launcher, then calls `then` once the message is written (or at once without a launcher). */
function send(message: DetachMessage, then?: () => void): void {
  if (process.send && process.connected) process.send(message, undefined, undefined, () => then?.());
  else then?.();
}

/** The supervisor log (`~/.bbia-safe/logs/supervisor.log`): its path, and a writer that never throws. */
function supervisorLog(ctx: CliContext): { file: string; write: (text: string) => void } {
  const logDir = path.join(ctx.engine.paths.stateDir, 'logs');
  try {
    fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
  } catch {
    // A read-only or full home: the start fails with the reason, reported to the launcher over IPC
  }
  const file = path.join(logDir, 'supervisor.log');
  const write = (text: string) => {
    try {
      fs.appendFileSync(file, `${new Date().toISOString()} [${process.pid}] ${text}\n`, { mode: 0o600 });
    } catch {
      // nowhere left to report
    }
  };
  return { file, write };
}

/** The hidden `__supervise` entry of `start --detach`: supervises in the background, reports to its launcher over IPC. */
export async function superviseDetached(ctx: CliContext, raw: string | undefined): Promise<number> {
  const { file, write } = supervisorLog(ctx);
  const detachedCtx: CliContext = { ...ctx, io: { out: write, err: write }, interactive: false };
  let req: StartRequest;
  try {
    req = JSON.parse(raw ?? '') as StartRequest;
  } catch {
    send({ type: 'failed', message: 'malformed supervisor request', hint: 'use bbia-safe start --detach', exitCode: ExitCode.usage });
    return ExitCode.usage;
  }
  try {
    return await runSupervisor(detachedCtx, req, (pid, supervisorPid, sup) => {
      write(`robot PID ${pid} started (${req.mode}) in ${req.projectDir}`);
      send({ type: 'started', pid, supervisorPid }, () => {
        if (process.connected) process.disconnect();
        // The robot runs: from here the keeper idles in this process's place, at a sixth of Node's memory
        const keeperDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'keeper');
        void ctx.engine
          .handOver(sup, { node: process.execPath, nodeFlags: SUPERVISOR_NODE_FLAGS, entry: process.argv[1]!, supervisorLog: file, keeperDir })
          .then((why) => write(`supervising in Node: ${why}`));
      });
    });
  } catch (error) {
    const e = error instanceof BbiaError ? error : new BbiaError(String(error), 'read the supervisor log');
    write(`failed: ${e.message}`);
    send({ type: 'failed', message: e.message, hint: e.hint, exitCode: e.exitCode });
    return e.exitCode;
  }
}

/** The hidden `__keeper-end` entry, run by the keeper (keeper/ending.py) when its robot ends or a stop signal arrives. */
export async function keeperEnd(ctx: CliContext): Promise<number> {
  const { write } = supervisorLog(ctx);
  const state = keeperState(process.env[KEEPER_STATE_ENV]);
  if (!state) {
    write(`__keeper-end without a valid ${KEEPER_STATE_ENV}; nothing done`);
    return ExitCode.usage;
  }
  const end = await ctx.engine.endKept(state, write);
  if (end.report?.survivors.length) write(`still alive after the stop: ${end.report.survivors.map((p) => p.pid).join(', ')}`);
  write(`instance of robot PID ${state.robot.pid} over; lock released`);
  return exitCodeOf(end);
}
