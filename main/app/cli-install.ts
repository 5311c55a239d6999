/**
 * "Install Command Line Tool…": links the launcher packed in the app (Resources/cli/bin/bbia-safe, which
 * runs the bundled command line with the user's Node.js 22+) into a folder on the PATH. Asks first, writes
 * only where the user may write, and uses administrator rights only when the user chooses them.
 * Electron-free: the questions and the privileged link go through ports (native dialogs, osascript).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CliInstallTranslate } from '../../common/i18n/cli-install-strings.js';

/** The app's side of the installer. */
export interface CliInstallPorts {
  /** Asks; resolves the index of the button chosen (0 is Cancel, the default). */
  ask(question: { message: string; detail: string; buttons: string[] }): Promise<number>;
  /** Tells the outcome (one OK button). */
  tell(message: { message: string; detail: string; error?: boolean }): Promise<void>;
  /** Creates `link` -> `launcher` in `dir` as administrator (macOS asks for the password); rejects with `cancelled` set when the user declines. */
  asAdmin(dir: string, launcher: string, link: string): Promise<void>;
}

/** Where and what to install. */
export interface CliInstallOptions {
  /** The launcher inside the app; undefined when the app is not packaged (no bundled command line). */
  launcher: string | undefined;
  /** The user's PATH, in order. */
  pathDirs: readonly string[];
  /** The user's home folder. */
  home: string;
  /** Translator. */
  t: CliInstallTranslate;
}

/** How an install ended. */
export type CliInstallOutcome = 'installed' | 'already' | 'cancelled' | 'failed' | 'unavailable';

/** The fallback folder, writable by an administrator: on every macOS login PATH (/etc/paths). */
export const ADMIN_DIR = '/usr/local/bin';

const writable = (dir: string) => {
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
};

/** The folder to link into: the first of the usual ones on the PATH the user can write to, else {@link ADMIN_DIR} (admin). */
export function cliTarget(pathDirs: readonly string[], home: string): { dir: string; admin: boolean } {
  const preferred = [ADMIN_DIR, '/opt/homebrew/bin', path.join(home, '.local', 'bin'), path.join(home, 'bin')];
  const onPath = new Set(pathDirs.map((d) => path.resolve(d)));
  const dir = preferred.find((d) => onPath.has(d) && writable(d));
  return dir ? { dir, admin: false } : { dir: ADMIN_DIR, admin: true };
}

/** Links `link` -> `target` atomically: a temporary link renamed over whatever is there (never followed). */
function linkAtomically(target: string, link: string): void {
  const temp = path.join(path.dirname(link), `.bbia-safe.${process.pid}.tmp`);
  fs.rmSync(temp, { force: true });
  fs.symlinkSync(target, temp);
  try {
    fs.renameSync(temp, link);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** Runs the installer: decides where, asks, links, says what happened. */
export async function installCli(options: CliInstallOptions, ports: CliInstallPorts): Promise<CliInstallOutcome> {
  const { t, launcher } = options;
  // Run from the dmg, or from Downloads still quarantined (macOS then runs a randomized read-only copy,
  // App Translocation), the app's path is not where it will stay: a link there would soon point nowhere
  if (launcher?.startsWith('/Volumes/') || launcher?.includes('/AppTranslocation/')) {
    await ports.tell({ message: t('cliNotInstalled'), detail: t('cliNotInstalledDetail') });
    return 'unavailable';
  }
  if (!launcher || !fs.existsSync(launcher)) {
    await ports.tell({ message: t('cliDevOnly'), detail: t('cliDevOnlyDetail') });
    return 'unavailable';
  }
  const { dir, admin } = cliTarget(options.pathDirs, options.home);
  const link = path.join(dir, 'bbia-safe');
  let existing: string | undefined;
  try {
    const stat = fs.lstatSync(link);
    const target = stat.isSymbolicLink() ? fs.readlinkSync(link) : undefined;
    if (target === launcher) {
      await ports.tell({ message: t('cliAlready', { link }), detail: t('cliDoneDetail') });
      return 'already';
    }
    existing = t('cliReplaces', { link, what: target ? t('cliReplacesLink', { target }) : t('cliReplacesFile') });
  } catch {
    // nothing there yet
  }
  const detail = [t('cliDetail'), existing, admin ? t('cliAdmin', { dir }) : undefined].filter(Boolean).join('\n\n');
  const choice = await ports.ask({ message: t('cliQuestion', { link }), detail, buttons: [t('cancel'), admin ? t('cliInstallAdmin') : t('cliInstall')] });
  if (choice !== 1) return 'cancelled';
  try {
    if (admin) await ports.asAdmin(dir, launcher, link);
    else linkAtomically(launcher, link);
  } catch (error) {
    if ((error as { cancelled?: boolean }).cancelled) return 'cancelled';
    await ports.tell({ message: t('cliFailed', { why: (error as Error).message }), detail: t('cliFailedDetail', { launcher, link }), error: true });
    return 'failed';
  }
  await ports.tell({ message: t('cliDone', { link }), detail: t('cliDoneDetail') });
  return 'installed';
}
