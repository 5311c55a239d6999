import { BbiaError, ExitCode } from '../engine/errors.js';
import { MODES } from '../engine/supervise/launch.js';
import { packageVersion } from '../engine/package-info.js';
import { parseArgs, quote, type CommandSpec } from './args.js';
import { cleanup, cleanupSpec } from './commands/cleanup.js';
import { configSpec, config } from './commands/config.js';
import { logs, logsSpec } from './commands/logs.js';
import { killAll, killAllSpec } from './commands/kill-all.js';
import { start, startSpec } from './commands/start.js';
import { status, statusSpec } from './commands/status.js';
import { stop, stopSpec } from './commands/stop.js';
import { supervisorEnd, supervisorUpkeep, superviseDetached } from './commands/supervise.js';
import { createContext, type CliContext } from './context.js';
import { detectLang, translator } from './i18n.js';
import { processOutput, reportError } from './output.js';

const HELP = `bbia-safe: one safe BBIA robot simulation at a time

Usage:
  bbia-safe status [--json | --watch]           the instance and every BBIA process (CPU, RAM, age); --watch: live, with history
  bbia-safe start [MODE] [--project DIR] [--duration S] [--detach] [-- ARGS...]
                                                MODE: graphical (default), headless, test; ARGS go to the launcher
                                                (e.g. -- --model reachy_mini.xml), after the robotArgs setting
  bbia-safe stop [--force] [--timeout S]        stop the instance's whole process tree
  bbia-safe stop --pid PID [--force]            stop one robot that bbia-safe did not start, with its tree
  bbia-safe kill-all [--force]                  last resort: SIGKILL every BBIA process of this user
  bbia-safe cleanup [--force] [--timeout S]     stop the leftovers: old test, websocket and viewer processes outside the instance
  bbia-safe logs [-f] [-n N]                    the robot's log (follow with -f)
  bbia-safe config [path | get [KEY] | set KEY VALUE]   the settings shared with the menu-bar app
  bbia-safe config set robotArgs -- ARGS...     the launcher arguments used at every start (no ARGS: none)

Exit codes: 0 done, 1 failed, 2 usage or confirmation missing, 3 refused (an instance already runs).`;

const SPECS: Record<string, CommandSpec> = {
  status: statusSpec,
  start: startSpec,
  stop: stopSpec,
  'kill-all': killAllSpec,
  cleanup: cleanupSpec,
  logs: logsSpec,
  config: configSpec,
};

/** A command line that parsed: the command, its options and positional arguments. */
export interface ParsedCommand {
  /** The command name. */
  command: string;
  /** Option values. */
  options: Record<string, string | number | boolean | undefined>;
  /** Positional arguments. */
  positional: string[];
  /** Arguments after `--` (start's robot arguments, config's robotArgs); undefined without `--`. */
  rest?: string[];
}

/** Parses argv into a command without running anything; every mistake is a usage error (exit 2). */
export function parseCommand(argv: readonly string[]): ParsedCommand {
  const [command, ...rest] = argv;
  if (command === undefined || !Object.hasOwn(SPECS, command)) {
    throw BbiaError.of('unknownCommand', { command: quote(command ?? '') }, ExitCode.usage);
  }
  const parsed = parseArgs(rest, SPECS[command]!);
  if (command === 'start' && parsed.positional[0] !== undefined && !(MODES as readonly string[]).includes(parsed.positional[0])) {
    throw BbiaError.of('unknownMode', { mode: quote(parsed.positional[0]) }, ExitCode.usage, { key: 'usage', vars: { usage: startSpec.usage } });
  }
  return { command, ...parsed };
}

async function dispatch(ctx: CliContext, { command, options, positional, rest }: ParsedCommand): Promise<number> {
  switch (command) {
    case 'status':
      return status(ctx, options as { json?: boolean });
    case 'start':
      return start(ctx, positional, options as { project?: string; duration?: number; detach?: boolean }, rest);
    case 'stop':
      return stop(ctx, options as { force?: boolean; timeout?: number; pid?: string });
    case 'kill-all':
      return killAll(ctx, options as { force?: boolean });
    case 'cleanup':
      return cleanup(ctx, options as { force?: boolean; timeout?: number });
    case 'logs':
      return logs(ctx, options as { f?: boolean; n?: number });
    default:
      return config(ctx, positional, rest);
  }
}

/** Runs the command line on `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const io = processOutput();
  const t = translator(detectLang());
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.out(HELP);
      return command === undefined ? ExitCode.usage : 0;
    }
    if (command === '--version' || command === '-V') {
      io.out(packageVersion());
      return 0;
    }
    if (command === '__supervise') return await superviseDetached(createContext(), rest[0]);
    if (command === '__supervisor-end') return await supervisorEnd(createContext());
    if (command === '__supervisor-upkeep') return await supervisorUpkeep(createContext());
    // Only before `--`: what follows goes to the launcher (its own --help included)
    const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (Object.hasOwn(SPECS, command) && (own.includes('--help') || (command !== 'logs' && own.includes('-h')))) {
      io.out(`usage: ${SPECS[command]!.usage}`);
      return 0;
    }
    const parsed = parseCommand(argv);
    return await dispatch(createContext(), parsed);
  } catch (error) {
    return reportError(error, io, t);
  }
}

/** Entry point: runs and exits with the command's code once output is flushed. */
export async function run(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2));
}
