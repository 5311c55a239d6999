import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

// Between these, the login shell prints its PATH: whatever its startup files print stays outside
const MARK = '__BBIA_SAFE_PATH__';

/** How to ask the user's login shell. */
export interface LoginShellOptions {
  /** The shell; default `$SHELL`, else the account's shell, else /bin/zsh (macOS's default). */
  shell?: string;
  /** How long the shell may take to read its startup files, ms; default 5000. */
  timeoutMs?: number;
}

/**
 * The PATH the user's login shell sets up (`$SHELL -ilc`), or undefined when it fails or takes too long.
 * An app opened from Finder or at login gets only `/usr/bin:/bin:/usr/sbin:/sbin`, where `python3` is
 * Apple's stub and no `mjpython` exists. The shell runs with no terminal and no input; on a timeout it
 * is killed (an .zshrc that waits for input must not hold the app's start). Done here rather than with
 * shell-env, which has no timeout and brings execa 5 beside ours.
 */
export async function loginShellPath(options: LoginShellOptions = {}): Promise<string | undefined> {
  const shell = options.shell ?? process.env.SHELL ?? accountShell() ?? '/bin/zsh';
  const result = await execa(shell, ['-ilc', `printf '%s%s%s' ${MARK} "$PATH" ${MARK}`], {
    stdin: 'ignore',
    stderr: 'ignore',
    reject: false,
    timeout: options.timeoutMs ?? 5000,
    forceKillAfterDelay: 500,
    // Oh My Zsh asks whether to update on start; tmux plugins start a server when interactive
    env: { DISABLE_AUTO_UPDATE: 'true', ZSH_TMUX_AUTOSTART: 'false' },
  });
  const found = String(result.stdout ?? '').split(MARK);
  if (result.timedOut || found.length < 3) return undefined;
  const value = found[1]!.trim();
  return value.includes('/') ? value : undefined;
}

function accountShell(): string | undefined {
  try {
    return os.userInfo().shell ?? undefined;
  } catch {
    return undefined;
  }
}

/** `first` then the entries of `then` that `first` lacks: the login shell's order wins, nothing is lost. */
export function mergePath(first: string, then: string): string {
  const out: string[] = [];
  for (const dir of [...first.split(path.delimiter), ...then.split(path.delimiter)]) if (dir && !out.includes(dir)) out.push(dir);
  return out.join(path.delimiter);
}

/**
 * At the app's start on macOS: puts the login shell's PATH in front of this process's (`env.PATH`), so the
 * interpreter, mjpython and the detached supervisor's Python are found as in a terminal. Returns the new PATH, or
 * undefined when nothing changed (not macOS, or the shell failed: the PATH stays as it was).
 */
export async function adoptLoginShellPath(options: LoginShellOptions & { platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv } = {}): Promise<string | undefined> {
  if ((options.platform ?? process.platform) !== 'darwin') return undefined;
  const env = options.env ?? process.env;
  const login = await loginShellPath(options);
  if (!login) return undefined;
  env.PATH = mergePath(login, env.PATH ?? '');
  return env.PATH;
}
