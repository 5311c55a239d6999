import os from 'node:os';
import path from 'node:path';

/** Every file bbia-safe reads or writes, all under one home folder (docs/contract.md: state on disk). */
export interface Paths {
  /** The home folder everything lives under. */
  readonly home: string;
  /** `~/.bbia_sim.lock`: exists while a supervisor holds the instance lock. */
  readonly lockFile: string;
  /** `~/.bbia_sim.pid`: first line is the robot's PID alone, then a JSON identity record. */
  readonly pidFile: string;
  /** Folder of bbia-safe's own state (logs). */
  readonly stateDir: string;
  /** The robot's output. */
  readonly robotLog: string;
  /** How the last robot that exited on its own ended (exit code, signal, last log lines). */
  readonly lastExit: string;
  /** Folder of the shared settings file (the Electron app's userData on macOS). */
  readonly settingsDir: string;
  /** The shared settings file, read and written by the app and the CLI. */
  readonly settingsFile: string;
}

/** Options of {@link createPaths}; both default to this machine's. */
export interface PathOptions {
  /** Home folder; defaults to `os.homedir()`, which honours `HOME`. */
  home?: string;
  /** Platform deciding where settings live; defaults to `process.platform`. */
  platform?: NodeJS.Platform;
}

/** The settings file's base name, shared by electron-store and conf. */
export const SETTINGS_NAME = 'settings';

/** Resolves all paths from the home folder, as fiddle-core's paths.ts does from its root. */
export function createPaths(options: PathOptions = {}): Paths {
  const home = path.resolve(options.home ?? os.homedir());
  const platform = options.platform ?? process.platform;
  const stateDir = path.join(home, '.bbia-safe');
  const settingsDir =
    platform === 'darwin'
      ? path.join(home, 'Library', 'Application Support', 'bbia-safe')
      : path.join(home, '.config', 'bbia-safe');
  return {
    home,
    lockFile: path.join(home, '.bbia_sim.lock'),
    pidFile: path.join(home, '.bbia_sim.pid'),
    stateDir,
    robotLog: path.join(stateDir, 'logs', 'robot.log'),
    lastExit: path.join(stateDir, 'last-exit.json'),
    settingsDir,
    settingsFile: path.join(settingsDir, `${SETTINGS_NAME}.json`),
  };
}
