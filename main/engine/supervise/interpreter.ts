import fs from 'node:fs';
import path from 'node:path';
import { BbiaError } from '../errors.js';
import type { Mode } from './launch.js';

/** The `python` setting's default: a name looked up on PATH, or the project's own interpreter when it has one. */
export const DEFAULT_PYTHON = 'python3';

/** Where a project keeps its own interpreter, in order of preference. */
export const PROJECT_VENVS = ['venv', '.venv'] as const;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Finds an executable by name on PATH (or checks a path); undefined when there is none. */
export function findExecutable(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? path.resolve(name) : undefined;
  for (const dir of envPath.split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** The project's own Python (`venv/bin/python3`, else `.venv/bin/python3`), when it has one. */
export function projectPython(projectDir: string): string | undefined {
  for (const venv of PROJECT_VENVS) {
    const file = path.join(projectDir, venv, 'bin', 'python3');
    if (isExecutable(file)) return file;
  }
  return undefined;
}

/** The interpreter a start would run, and where it was found. */
export interface InterpreterChoice {
  /** The Python found: the project's, the setting's path, or the setting's name on PATH. */
  python: string;
  /** Where it came from. */
  origin: 'project' | 'setting' | 'path';
  /** What the start runs: `mjpython` for the graphical mode on macOS, else {@link python}. */
  command: string;
}

/** Where the choice is made: the project folder, the platform and the PATH (the login shell's, once adopted). */
export interface InterpreterContext {
  /** The project folder, whose own interpreter wins over the default setting. */
  projectDir?: string;
  /** The platform (mjpython is macOS's). */
  platform?: NodeJS.Platform;
  /** The PATH to search. */
  envPath?: string;
}

/**
 * Chooses the interpreter: the project's own when the setting is the default `python3`, else the setting
 * (a path, or a name on PATH). The graphical mode on macOS needs `mjpython` (MuJoCo's viewer refuses to
 * open under plain python): the one beside that Python, else (outside a project venv) one on PATH; a
 * clear refusal when there is none, never a silent plain python.
 */
export function chooseInterpreter(setting: string, mode: Mode, ctx: InterpreterContext = {}): InterpreterChoice {
  const envPath = ctx.envPath ?? process.env.PATH ?? '';
  const own = setting === DEFAULT_PYTHON && ctx.projectDir ? projectPython(ctx.projectDir) : undefined;
  const python = own ?? findExecutable(setting, envPath);
  if (!python) {
    throw BbiaError.of('pythonNotFound', { python: setting });
  }
  const origin = own ? 'project' : setting.includes('/') ? 'setting' : 'path';
  if ((ctx.platform ?? process.platform) !== 'darwin' || mode !== 'graphical') return { python, origin, command: python };
  // A project venv's mjpython is beside its python; one elsewhere would run without the project's packages
  const mjpython = findExecutable(path.join(path.dirname(python), 'mjpython')) ?? (own ? undefined : findExecutable('mjpython', envPath));
  if (!mjpython) {
    throw BbiaError.of(own ? 'mjpythonMissingVenv' : 'mjpythonMissing', { python });
  }
  return { python, origin, command: mjpython };
}

/** The command a start runs (see {@link chooseInterpreter}); throws a BbiaError saying what to install. */
export function resolveInterpreter(python: string, mode: Mode, platform: NodeJS.Platform = process.platform, projectDir?: string): string {
  return chooseInterpreter(python, mode, { platform, projectDir }).command;
}

/** What the popover's settings show of the interpreter: what each mode would run, or why it cannot. */
export interface InterpreterView {
  /** The `python` setting as saved. */
  setting: string;
  /** The Python found and where it came from, when one was. */
  python?: string;
  /** Where it came from: the project's venv, the setting's path, or PATH. */
  origin?: InterpreterChoice['origin'];
  /** What the graphical mode runs (mjpython on macOS), when it can start. */
  graphical?: string;
  /** Why a start would be refused (no Python; for the graphical mode on macOS, no mjpython), with what to do. */
  problem?: { message: string; hint: string };
}

/** The interpreter as the popover shows it; never throws. */
export function describeInterpreter(setting: string, ctx: InterpreterContext = {}): InterpreterView {
  const view: InterpreterView = { setting };
  try {
    const headless = chooseInterpreter(setting, 'headless', ctx);
    view.python = headless.python;
    view.origin = headless.origin;
    view.graphical = chooseInterpreter(setting, 'graphical', ctx).command;
  } catch (error) {
    if (!(error instanceof BbiaError)) throw error;
    view.problem = { message: error.message, hint: error.hint };
  }
  return view;
}
