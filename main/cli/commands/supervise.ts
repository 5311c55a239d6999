import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BbiaError, ExitCode } from '../../engine/errors.js';
import { END_ENV, DETACHED_STATE_ENV, detachedEnd, detachedState, type DetachedState } from '../../engine/supervise/detached.js';
import { awaitSettle } from '../../engine/supervise/settle.js';
import { logLine, type EngineLog, type EngineTextKey } from '../../../common/i18n/engine-text.js';
import type { CliContext } from '../context.js';
import { exitCodeOf, runSupervisor, type DetachMessage, type StartRequest } from './start.js';

/** The detached supervisor's Python stage and its schema, beside the CLI bundle (scripts/build-cli.mjs copies them). */
const PYTHON_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'detached');

/** The engine's notices that `start --detach` shows on the terminal too: what was set aside or removed of the user's files. */
const TOLD_AT_DETACH: ReadonlySet<EngineTextKey> = new Set(['oldLockSetAside', 'oldPidfileSetAside', 'symlinkLockRemoved']);

/** Sends to the launcher, then calls `then` once the message is written (or at once without a launcher). */
function send(message: DetachMessage, then?: () => void): void {
  if (process.send && process.connected) process.send(message, undefined, undefined, () => then?.());
  else then?.();
}

/** The supervisor log (`~/.bbia-safe/logs/supervisor.log`): its path, and a writer that never throws (texts in English). */
function supervisorLog(ctx: CliContext): { file: string; write: EngineLog } {
  const logDir = path.join(ctx.engine.paths.stateDir, 'logs');
  try {
    fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
  } catch {
    // A read-only or full home: the start fails with the reason, reported to the launcher over IPC
  }
  const file = path.join(logDir, 'supervisor.log');
  const write: EngineLog = (event) => {
    try {
      fs.appendFileSync(file, `${new Date().toISOString()} [${process.pid}] ${logLine('en', event)}\n`, { mode: 0o600 });
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
    const e = BbiaError.of('badSupervisorRequest', {}, ExitCode.usage);
    send({ type: 'failed', message: e.message, hint: e.hint, exitCode: e.exitCode, text: e.text, hintText: e.hintText });
    return ExitCode.usage;
  }
  try {
    let told = false;
    const end = await runSupervisor(
      detachedCtx,
      req,
      (pid, supervisorPid, sup) => {
        write(`robot PID ${pid} started (${req.mode}) in ${req.projectDir}`);
        // The launcher hears "started" only once the robot lived through its settle time, and the detached supervisor
        // takes over only then: until the answer is given, Node watches the robot and can report its end
        void awaitSettle(sup, ctx.engine.paths.robotLog).then((settled) => {
          if (settled !== 'running') return;
          told = true;
          write(`robot PID ${pid} settled`);
          send({ type: 'started', pid, supervisorPid }, () => {
            if (process.connected) process.disconnect();
            // The robot runs: from here the detached supervisor (supervise/detached/supervisor.py) idles in this process's place, at a quarter of Node's memory
            void ctx.engine
              .handOver(sup, { node: process.execPath, entry: process.argv[1]!, supervisorLog: file, pythonDir: PYTHON_DIR })
              .then((why) => write(`supervising in Node: ${why}`));
          });
        });
      },
      (event) => {
        write(event);
        // What the user must hear of (the old tool's files set aside, a lock that was a link) goes to the terminal
        // that asked; the rest (a stale lock taken over...) stays in the supervisor log, as the quiet --detach wants
        if (typeof event !== 'string' && TOLD_AT_DETACH.has(event.key)) send({ type: 'notice', text: event });
      },
    );
    // Ended (or stopped) within the settle time: the lock files are gone by now; the launcher says how
    if (!told) await new Promise<void>((resolve) => send({ type: 'ended', exitCode: end.exitCode, signal: end.signal, stoppedBy: end.stoppedBy, finished: end.finished, lines: end.lastLines ?? [] }, resolve));
    return exitCodeOf(end);
  } catch (error) {
    const e = error instanceof BbiaError ? error : BbiaError.of('bug', { why: String(error) });
    write(`failed: ${e.message}`);
    send({ type: 'failed', message: e.message, hint: e.hint, exitCode: e.exitCode, text: e.text, hintText: e.hintText });
    return e.exitCode;
  }
}

/** The supervisor log's writer and Node's part of the detached instance, for a hidden entry (a missing state is logged, and left undefined). */
function detachedCall(ctx: CliContext, entry: string): { write: EngineLog; state?: DetachedState } {
  const { write } = supervisorLog(ctx);
  const state = detachedState(process.env[DETACHED_STATE_ENV]);
  if (!state) write(`${entry} without a valid ${DETACHED_STATE_ENV}; nothing done`);
  return { write, state };
}

/** The hidden `__supervisor-upkeep` entry, run by the detached supervisor when the lock is gone or the robot log is over its cap. */
export async function supervisorUpkeep(ctx: CliContext): Promise<number> {
  const { write, state } = detachedCall(ctx, '__supervisor-upkeep');
  if (!state) return ExitCode.usage;
  await ctx.engine.upkeepDetached(state, write);
  return 0;
}

/** The hidden `__supervisor-end` entry, run by the detached supervisor (supervise/detached/supervisor.py) when its robot ends or a stop signal arrives. */
export async function supervisorEnd(ctx: CliContext): Promise<number> {
  const { write, state } = detachedCall(ctx, '__supervisor-end');
  if (!state) return ExitCode.usage;
  // An end that does not match state.schema.json's $defs.end is taken as a stop: the supervisor is going
  // away, and nothing it held may stay running
  let end = detachedEnd(process.env[END_ENV], PYTHON_DIR);
  if (!end) {
    write(`__supervisor-end: ${END_ENV} does not match the schema (${process.env[END_ENV] ?? 'unset'}); stopping the instance`);
    end = { reason: 'signal', signal: 'SIGTERM' };
  }
  const result = await ctx.engine.endDetached(state, end, write);
  if (result.report?.survivors.length) write(`still alive after the stop: ${result.report.survivors.map((p) => p.pid).join(', ')}`);
  write(`instance of robot PID ${state.robot.pid} over; lock released`);
  return exitCodeOf(result);
}
