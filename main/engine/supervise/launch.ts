import fs from 'node:fs';
import path from 'node:path';
import { BbiaError } from '../errors.js';

/** The three ways to start the robot, as the seed's tool had them. */
export const MODES = ['graphical', 'headless', 'test'] as const;

/** One start mode. */
export type Mode = (typeof MODES)[number];

/** The robot script, relative to the project folder. */
export const ROBOT_SCRIPT = path.join('scripts', 'launch_complete_robot.py');

/**
 * The launcher's arguments: the script, the seed's flags for the mode, `--duration S` when asked, then
 * `extra` as it is (the robotArgs setting, then `start -- ARGS`), so the user's own flags come last.
 */
export function robotArgs(mode: Mode, duration?: number, extra: readonly string[] = []): string[] {
  const args = [ROBOT_SCRIPT];
  if (mode === 'headless') args.push('--headless');
  if (mode === 'test') args.push('--headless', '--duration', '2');
  if (duration !== undefined) args.push('--duration', String(duration));
  return [...args, ...extra];
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
    throw BbiaError.of('noProjectDir');
  }
  if (!fs.existsSync(candidate)) {
    throw BbiaError.of('projectDirMissing', { dir: candidate });
  }
  if (!isProjectDir(candidate)) {
    throw BbiaError.of('projectDirNoScript', { dir: candidate, script: ROBOT_SCRIPT });
  }
  return path.resolve(candidate);
}
