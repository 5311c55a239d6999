import { spawn } from 'node:child_process';
import { constants as os } from 'node:os';
import path from 'node:path';
import { BbiaError, ExitCode, type ExitCodeValue } from '../../engine/errors.js';
import { MODES, resolveProjectDir, type Mode } from '../../engine/supervise/launch.js';
import { SETTLE_MS } from '../../engine/supervise/settle.js';
import { explainPortInUse } from '../port-in-use.js';
import type { Supervision, SupervisionEnd } from '../../engine/supervise/supervisor.js';
import { logLine, type EngineLog, type TextRef } from '../../../common/i18n/engine-text.js';
import type { CommandSpec } from '../args.js';
import type { CliContext } from '../context.js';
import { exitHow } from '../i18n.js';
import { errorWords, reportError } from '../output.js';
import { onStopSignals } from '../signals.js';

/** `start [MODE] [--project DIR] [--duration S] [--detach] [-- ARGS...]`. */
export const startSpec: CommandSpec = {
  options: { project: 'string', duration: 'number', detach: 'boolean' },
  maxPositional: 1,
  rest: true,
  usage: 'bbia-safe start [graphical|headless|test] [--project DIR] [--duration S] [--detach] [-- ARGS...]',
};

/** What a start was asked, resolved against the settings. */
export interface StartRequest {
  /** Start mode. */
  mode: Mode;
  /** Validated project folder. */
  projectDir: string;
  /** Extra `--duration`. */
  duration?: number;
  /** `start -- ARGS`: given to the launcher as they are, after the robotArgs setting. */
  args?: string[];
}

/** Resolves the mode and project folder, or throws the error that says what to fix. */
export function resolveStart(ctx: CliContext, positional: string[], options: { project?: string; duration?: number }, args: string[] = []): StartRequest {
  const modeArg = positional[0] ?? ctx.engine.settings.defaultMode;
  if (!(MODES as readonly string[]).includes(modeArg)) {
    throw BbiaError.of('unknownMode', { mode: `'${modeArg}'` }, ExitCode.usage, { key: 'usage', vars: { usage: startSpec.usage } });
  }
  const projectDir = resolveProjectDir(options.project, process.cwd(), ctx.engine.settings.projectDir);
  return { mode: modeArg as Mode, projectDir, duration: options.duration, args };
}

/** The exit code of a foreground start: the child's code, or 128+signal when a signal stopped it. */
export function exitCodeOf(end: SupervisionEnd): number {
  const signalName = end.stoppedBy ?? end.signal;
  if (signalName && signalName in os.signals) return 128 + os.signals[signalName as keyof typeof os.signals];
  if (end.stoppedBy) return 0;
  return end.exitCode ?? 1;
}

/** The foreground's engine log: what the user should see (a text), in their language; the record-only events are not shown. */
export function terminalLog(ctx: CliContext): EngineLog {
  return (event) => {
    if (typeof event !== 'string') ctx.io.err(ctx.t('warning', { text: logLine(ctx.t.lang, event) }));
  };
}

/**
 * Supervises the robot in this process until it ends or a signal stops it (the foreground start, and the
 * detached supervisor, whose `log` keeps every event); resolves with how it ended.
 */
export async function runSupervisor(
  ctx: CliContext,
  req: StartRequest,
  onStarted: (pid: number, supervisorPid: number, sup: Supervision) => void,
  log: EngineLog = terminalLog(ctx),
): Promise<SupervisionEnd> {
  const { engine, io, t } = ctx;
  let pending: NodeJS.Signals | undefined;
  let stopNow: ((signal: NodeJS.Signals) => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopNow) stopNow(signal);
    else pending ??= signal;
  };
  // Installed before the spawn, so a signal during start-up still takes the stop path; kept until exit (signals.ts)
  onStopSignals(onSignal);
  // The setting's arguments, then this start's: the user's last word comes last, as the launcher's argparse reads it
  const extraArgs = [...engine.settings.robotArgs, ...(req.args ?? [])];
  const sup = await engine.supervise({ mode: req.mode, projectDir: req.projectDir, duration: req.duration, extraArgs, log });
  let stopping = false;
  stopNow = (signal) => {
    if (!stopping) io.err(t('stopping', { signal }));
    stopping = true;
    void sup.stop(signal);
  };
  onStarted(sup.record.pid, sup.record.supervisorPid, sup);
  if (pending) stopNow(pending);
  const end = await sup.done;
  if (end.stoppedBy) {
    io.err(t('endStopped', { n: end.report?.targeted.length ?? 0, ms: end.report?.elapsedMs ?? 0 }));
  } else if (end.finished) {
    io.err(t('finished', { mode: req.mode, how: exitHow(t, end) }));
  } else {
    io.err(t('exited', { how: exitHow(t, end) }));
    for (const line of end.lastLines ?? []) io.err(t('lastLine', { line }));
    await explainPortInUse(ctx, end.lastLines ?? [], [...ctx.engine.settings.robotArgs, ...(req.args ?? [])]);
  }
  return end;
}

/** Starts in the foreground, or hands over to a detached supervisor with --detach. */
export async function start(ctx: CliContext, positional: string[], options: { project?: string; duration?: number; detach?: boolean }, args: string[] = []): Promise<number> {
  const req = resolveStart(ctx, positional, options, args);
  if (options.detach) return startDetached(ctx, req);
  const end = await runSupervisor(ctx, req, (pid, sup) => {
    ctx.io.out(ctx.t('started', { pid, mode: req.mode, dir: req.projectDir, sup, log: ctx.engine.paths.robotLog }));
    ctx.io.out(ctx.t('foreground'));
  });
  return exitCodeOf(end);
}

/** Messages from the detached supervisor to the command that launched it. */
export type DetachMessage =
  /** The robot lived through its settle time (settle.ts): the start succeeded. */
  | { type: 'started'; pid: number; supervisorPid: number }
  /** The start failed before the robot ran (a refusal, a bad project...): the error, keyed for the launcher's language. */
  | { type: 'failed'; message: string; hint: string; exitCode: number; text?: TextRef; hintText?: TextRef }
  /** Something the user should see while it starts (the old tool's lock set aside...). */
  | { type: 'notice'; text: TextRef }
  /** The robot ended, or was stopped, within its settle time; the lock files are already gone. */
  | { type: 'ended'; exitCode: number | null; signal: string | null; stoppedBy?: string; finished?: boolean; lines: string[] };

/**
 * V8 flags of the detached supervisor, which idles for hours: a 1 MB young generation, which V8 would
 * otherwise grow towards 16 MB over time (bench/idle.ts). `--jitless` would save 3 MB more of RSS but
 * costs `start` 10 to 30 ms, so it is not used.
 */
export const SUPERVISOR_NODE_FLAGS = ['--max-semi-space-size=1'];

/** Launches a background supervisor (own session, no terminal, output never held open) and returns once the robot has settled (settle.ts). */
export function startDetached(ctx: CliContext, req: StartRequest): Promise<number> {
  const entry = process.argv[1]!;
  const child = spawn(process.execPath, [...SUPERVISOR_NODE_FLAGS, entry, '__supervise', JSON.stringify(req)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    cwd: req.projectDir,
  });
  return new Promise<number>((resolve) => {
    let settled = false;
    const settle = (code: number) => {
      if (settled) return;
      settled = true;
      if (child.connected) child.disconnect();
      child.unref();
      resolve(code);
    };
    const fail = (error: BbiaError) => {
      if (!settled) settle(reportError(error, ctx.io, ctx.t));
    };
    child.on('message', (m: DetachMessage) => {
      if (m.type === 'started') {
        ctx.io.out(ctx.t('started', { pid: m.pid, mode: req.mode, dir: req.projectDir, sup: m.supervisorPid, log: ctx.engine.paths.robotLog }));
        settle(0);
      } else if (m.type === 'notice') {
        ctx.io.err(ctx.t('warning', { text: logLine(ctx.t.lang, m.text) }));
      } else if (m.type === 'failed') {
        const error = new BbiaError(m.message, m.hint, m.exitCode as ExitCodeValue);
        Object.assign(error, { text: m.text, hintText: m.hintText });
        fail(error);
      } else if (m.finished) {
        // A timed run short enough to end within the settle time, and ended well
        ctx.io.out(ctx.t('finished', { mode: req.mode, how: exitHow(ctx.t, m) }));
        settle(0);
      } else if (m.stoppedBy) {
        fail(BbiaError.of('robotStoppedSettling', { by: m.stoppedBy, ms: SETTLE_MS }));
      } else {
        // Exit 1 whatever the robot's code: the start failed; its code and last lines say why
        const error = BbiaError.of('robotDiedSettling', { how: exitHow(ctx.t, m), log: ctx.engine.paths.robotLog });
        const { message, hint } = errorWords(error, ctx.t);
        ctx.io.err(ctx.t('error', { text: message }));
        for (const line of m.lines) ctx.io.err(ctx.t('lastLine', { line }));
        ctx.io.err(ctx.t('next', { text: hint }));
        const args = [...ctx.engine.settings.robotArgs, ...(req.args ?? [])];
        void explainPortInUse(ctx, m.lines, args).finally(() => settle(ExitCode.failed));
      }
    });
    child.on('error', (e) => fail(BbiaError.of('supervisorSpawnFailed', { why: e.message, dir: path.dirname(entry) })));
    child.on('exit', (code) => fail(BbiaError.of('supervisorGone', { code: String(code), log: path.join(ctx.engine.paths.stateDir, 'logs', 'supervisor.log') })));
  });
}
