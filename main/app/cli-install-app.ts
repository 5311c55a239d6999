import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { app } from 'electron';
import { askOnPopover, type DialogHost } from './dialogs.js';
import { installCli, type CliInstallOutcome, type CliInstallPorts } from './cli-install.js';
import type { CliInstallTranslate } from '../../common/i18n/cli-install-strings.js';

/**
 * The AppleScript that links as administrator: paths arrive as arguments (`quoted form of`), never spliced
 * into the script, so no path can inject a command. macOS shows its own password prompt.
 */
export const ADMIN_SCRIPT = [
  'on run argv',
  'do shell script "/bin/mkdir -p " & quoted form of item 1 of argv & " && /bin/ln -sfn " & quoted form of item 2 of argv & " " & quoted form of item 3 of argv with administrator privileges',
  'end run',
];

/** Links as administrator through osascript; a declined password prompt (error -128) rejects with `cancelled`. */
export function linkAsAdmin(dir: string, launcher: string, link: string): Promise<void> {
  const args = ADMIN_SCRIPT.flatMap((line) => ['-e', line]);
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/osascript', [...args, dir, launcher, link], (error, _stdout, stderr) => {
      if (!error) return resolve();
      reject(Object.assign(new Error(stderr.trim() || error.message), { cancelled: /-128/.test(stderr) }));
    });
  });
}

/** The launcher packed into the app (electron-builder.yml extraResources); undefined outside the packaged app. */
export function packedLauncher(): string | undefined {
  return app.isPackaged ? path.join(process.resourcesPath, 'cli', 'bin', 'bbia-safe') : undefined;
}

/** "Install Command Line Tool…" on the app's dialogs (sheets of the popover). */
export function installCliFromApp(host: DialogHost, t: CliInstallTranslate, ports: Partial<CliInstallPorts> = {}): Promise<CliInstallOutcome> {
  return installCli(
    { launcher: packedLauncher(), pathDirs: (process.env.PATH ?? '').split(path.delimiter).filter(Boolean), home: os.homedir(), t },
    {
      ask: async (q) => askOnPopover(host, { type: 'question', title: t('cliTitle'), message: q.message, detail: q.detail, buttons: q.buttons, defaultId: 0, cancelId: 0, noLink: true }),
      tell: async (m) => {
        await askOnPopover(host, { type: m.error ? 'warning' : 'info', title: t('cliTitle'), message: m.message, detail: m.detail, buttons: [t('ok')] });
      },
      asAdmin: linkAsAdmin,
      ...ports,
    },
  );
}
