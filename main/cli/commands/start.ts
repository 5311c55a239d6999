import { spawn } from 'node:child_process';
import { constants as os } from 'node:os';
import { BbiaError, ExitCode } from '../../engine/errors.js';
import { MODES, resolveProjectDir, type Mode } from '../../engine/launch.js';
import type { Supervision, SupervisionEnd } from '../../engine/supervisor.js';
import type { CommandSpec } from '../args.js';
import type { CliContext } from '../context.js';
import { onStopSignals } from '../signals.js';

/** `start [MODE] [--project DIR] [--duration S] [--detach]`. */
export const startSpec: CommandSpec = {
  options: { project: 'string', duration: 'number', detach: 'boolean' },
  maxPositional: 1,
  usage: 'bbia-safe start [graphical|headless|test] [--project DIR] [--duration S] [--detach]',
};

/** What a start was asked, resolved against the settings. */
export interface StartRequest {
  /** Start mode. */
  mode: Mode;
  /** Validated project folder. */
  projectDir: string;
  /** Extra `--duration`. */
  duration?: number;
}

/** Resolves the mode and project folder, or throws the error that says what to fix. */
export function resolveStart(ctx: CliContext, positional: string[], options: { project?: string; duration?: number }): StartRequest {
  const modeArg = positional[0] ?? ctx.engine.settings.defaultMode;
  if (!(MODES as readonly string[]).includes(modeArg)) {
    throw new BbiaError(`unknown mode '${modeArg}'`, `usage: ${startSpec.usage}`, ExitCode.usage);
  }
  const projectDir = resolveProjectDir(options.project, process.cwd(), ctx.engine.settings.projectDir);
  return { mode: modeArg as Mode, projectDir, duration: options.duration };
}

/** The exit code of a foreground start: the child's code, or 128+signal when a signal stopped it. */
export function exitCodeOf(end: SupervisionEnd): number {
  const signalName = end.stoppedBy ?? end.signal;
  if (signalName && signalName in os.signals) return 128 + os.signals[signalName as keyof typeof os.signals];
  if (end.stoppedBy) return 0;
  return end.exitCode ?? 1;
}

/** Supervises the robot in this process until it ends or a signal stops it (the foreground start, and the detached supervisor). */
export async function runSupervisor(ctx: CliContext, req: StartRequest, onStarted: (pid: number, supervisorPid: number, sup: Supervision) => void): Promise<number> {
  const { engine, io, t } = ctx;
  let pending: NodeJS.Signals | undefined;
  let stopNow: ((signal: NodeJS.Signals) => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopNow) stopNow(signal);
    else pending ??= signal;
  };
  // Installed before the spawn, so a signal during start-up still takes the stop path; kept until exit (signals.ts)
  onStopSignals(onSignal);
  const sup = await engine.supervise({ mode: req.mode, projectDir: req.projectDir, duration: req.duration, log: (m) => io.err(t('warning', { text: m })) });
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
  } else {
    io.err(t('exited', { how: end.exitCode !== null ? `exit code ${end.exitCode}` : `signal ${end.signal}` }));
    for (const line of end.lastLines ?? []) io.err(`  | ${line}`);
  }
  return exitCodeOf(end);
}

/** Starts in the foreground, or hands over to a detached supervisor with --detach. */
export async function start(ctx: CliContext, positional: string[], options: { project?: string; duration?: number; detach?: boolean }): Promise<number> {
  const req = resolveStart(ctx, positional, options);
  if (options.detach) return startDetached(ctx, req);
  return runSupervisor(ctx, req, (pid, sup) => {
    ctx.io.out(ctx.t('started', { pid, mode: req.mode, dir: req.projectDir, sup, log: ctx.engine.paths.robotLog }));
    ctx.io.out(ctx.t('foreground'));
  });
}

/** Messages from the detached supervisor to the command that launched it. */
export type DetachMessage =
  | { type: 'started'; pid: number; supervisorPid: number }
  | { type: 'failed'; message: string; hint: string; exitCode: number };

/**
 * V8 flags of the detached supervisor, which idles for hours: a 1 MB young generation, which V8 would
 * otherwise grow towards 16 MB over time (bench/idle.ts). `--jitless` would save 3 MB more of RSS but
 * costs `start` 10 to 30 ms, so it is not used.
 */
export const SUPERVISOR_NODE_FLAGS = ['--max-semi-space-size=1'];

/** Launches a background supervisor (own session, no terminal, output never held open) and returns once the robot runs. */
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
    child.on('message', (m: DetachMessage) => {
      if (m.type === 'started') {
        ctx.io.out(ctx.t('started', { pid: m.pid, mode: req.mode, dir: req.projectDir, sup: m.supervisorPid, log: ctx.engine.paths.robotLog }));
        settle(0);
      } else {
        ctx.io.err(ctx.t('error', { text: m.message }));
        ctx.io.err(ctx.t('next', { text: m.hint }));
        settle(m.exitCode);
      }
    });
    child.on('error', (e) => {
      ctx.io.err(ctx.t('error', { text: `could not start the background supervisor: ${e.message}` }));
      settle(1);
    });
    child.on('exit', (code) => {
      ctx.io.err(ctx.t('error', { text: `the background supervisor exited (${code}) before the robot started` }));
      ctx.io.err(ctx.t('next', { text: `read ${ctx.engine.paths.stateDir}/logs/supervisor.log` }));
      settle(1);
    });
  });
}
