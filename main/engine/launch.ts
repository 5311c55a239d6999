import fs from 'node:fs';
import path from 'node:path';
import { BbiaError } from './errors.js';

/** The three ways to start the robot, as the seed's tool had them. */
export const MODES = ['graphical', 'headless', 'test'] as const;

/** One start mode. */
export type Mode = (typeof MODES)[number];

/** The robot script, relative to the project folder. */
export const ROBOT_SCRIPT = path.join('scripts', 'launch_complete_robot.py');

/** The seed's flags for each mode, plus `--duration S` when asked. */
export function robotArgs(mode: Mode, duration?: number): string[] {
  const args = [ROBOT_SCRIPT];
  if (mode === 'headless') args.push('--headless');
  if (mode === 'test') args.push('--headless', '--duration', '2');
  if (duration !== undefined) args.push('--duration', String(duration));
  return args;
}

// The interpreter's choice (project venv, mjpython, the login shell's PATH) lives in interpreter.ts
export { findExecutable, resolveInterpreter } from './interpreter.js';

/** True when the folder holds the robot script. */
export function isProjectDir(dir: string): boolean {
  try {
    return fs.statSync(path.join(dir, ROBOT_SCRIPT)).isFile();
  } catch {
    return false;
  }
}

/** The project folder: `--project`, else the current folder when it is one, else the saved one. */
export function resolveProjectDir(option: string | undefined, cwd: string, saved: string): string {
  const candidate = option ? path.resolve(cwd, option) : isProjectDir(cwd) ? cwd : saved;
  if (!candidate) {
    throw new BbiaError(
      'no BBIA project folder: the current folder has no scripts/launch_complete_robot.py and none is saved',
      'run it from the project folder, pass --project DIR, or save one: bbia-safe config set projectDir DIR',
    );
  }
  if (!fs.existsSync(candidate)) {
    throw new BbiaError(`the project folder ${candidate} does not exist`, 'pass an existing folder with --project DIR');
  }
  if (!isProjectDir(candidate)) {
    throw new BbiaError(
      `${candidate} has no ${ROBOT_SCRIPT}`,
      'pass the BBIA project folder (the one holding scripts/launch_complete_robot.py) with --project DIR',
    );
  }
  return path.resolve(candidate);
}
