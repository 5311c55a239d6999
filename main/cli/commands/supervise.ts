import fs from 'node:fs';
import path from 'node:path';
import { BbiaError, ExitCode } from '../../engine/errors.js';
import type { CliContext } from '../context.js';
import { runSupervisor, type DetachMessage, type StartRequest } from './start.js';

function send(message: DetachMessage): void {
  if (process.send && process.connected) process.send(message);
}

/** The hidden `__supervise` entry of `start --detach`: supervises in the background, reports to its launcher over IPC. */
export async function superviseDetached(ctx: CliContext, raw: string | undefined): Promise<number> {
  const logDir = path.join(ctx.engine.paths.stateDir, 'logs');
  try {
    fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
  } catch {
    // A read-only or full home: the start below fails with the reason, reported to the launcher over IPC
  }
  const log = path.join(logDir, 'supervisor.log');
  const write = (text: string) => {
    try {
      fs.appendFileSync(log, `${new Date().toISOString()} [${process.pid}] ${text}\n`, { mode: 0o600 });
    } catch {
      // nowhere left to report
    }
  };
  const detachedCtx: CliContext = { ...ctx, io: { out: write, err: write }, interactive: false };
  let req: StartRequest;
  try {
    req = JSON.parse(raw ?? '') as StartRequest;
  } catch {
    send({ type: 'failed', message: 'malformed supervisor request', hint: 'use bbia-safe start --detach', exitCode: ExitCode.usage });
    return ExitCode.usage;
  }
  try {
    return await runSupervisor(detachedCtx, req, (pid, supervisorPid) => {
      write(`robot PID ${pid} started (${req.mode}) in ${req.projectDir}`);
      send({ type: 'started', pid, supervisorPid });
      if (process.connected) process.disconnect();
    });
  } catch (error) {
    const e = error instanceof BbiaError ? error : new BbiaError(String(error), 'read the supervisor log');
    write(`failed: ${e.message}`);
    send({ type: 'failed', message: e.message, hint: e.hint, exitCode: e.exitCode });
    return e.exitCode;
  }
}
