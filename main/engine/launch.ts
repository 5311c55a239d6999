import fs from 'node:fs';
import path from 'node:path';
import { BbiaError } from './errors.js';

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

/** Finds an executable by name on PATH (or checks a path); undefined when there is none. */
export function findExecutable(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  const isExec = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes('/')) return isExec(name) ? path.resolve(name) : undefined;
  for (const dir of envPath.split(path.delimiter)) {
    if (dir && isExec(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/**
 * The interpreter to run: the configured Python, except for the graphical mode on macOS,
 * where the MuJoCo viewer needs `mjpython` (found beside the interpreter or on PATH).
 */
export function resolveInterpreter(python: string, mode: Mode, platform: NodeJS.Platform = process.platform): string {
  const found = findExecutable(python);
  if (!found) {
    throw new BbiaError(
      `the Python interpreter "${python}" was not found`,
      'install Python 3, or set the interpreter: bbia-safe config set python /path/to/python3',
    );
  }
  if (platform === 'darwin' && mode === 'graphical') {
    const beside = findExecutable(path.join(path.dirname(found), 'mjpython'));
    const mjpython = beside ?? findExecutable('mjpython');
    if (mjpython) return mjpython;
  }
  return found;
}

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
