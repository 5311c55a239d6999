import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BbiaError } from '../main/engine/errors.js';
import { chooseInterpreter, describeInterpreter, resolveInterpreter } from '../main/engine/supervise/interpreter.js';
import { adoptLoginShellPath, loginShellPath, mergePath } from '../main/engine/supervise/login-path.js';
import { cli, lockPaths, readyTree, sandbox, tempDir } from './helpers.js';

// Issue 11, point 1: an app opened from Finder has PATH=/usr/bin:/bin:/usr/sbin:/sbin
const GUI_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';

function executable(file: string, body = '#!/bin/sh\nexit 0\n'): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body);
  fs.chmodSync(file, 0o755);
  return file;
}

/** A login shell that, like a user's zsh, prints things from its startup files and sets its own PATH. */
function fakeShell(loginPath: string, extra = ''): string {
  return executable(
    path.join(tempDir(), 'zsh'),
    `#!/bin/sh\n[ "$1" = -ilc ] || exit 64\nprintf 'Last login: Tue Dec  1 09:14:02 on ttys003\\n\\033[32mwelcome\\033[0m %s\\n' "$PATH"\n${extra}PATH='${loginPath}'\nexport PATH\neval "$2"\necho 'bye from .zlogout'\n`,
  );
}

describe("the login shell's PATH", () => {
  it('reads the PATH the login shell sets, whatever its startup files print', async () => {
    const login = '/Users/x/.pyenv/shims:/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin:/sbin';
    expect(await loginShellPath({ shell: fakeShell(login) })).toBe(login);
  });

  it('gives up on a shell that hangs (killed after the timeout) or fails, leaving PATH as it was', async () => {
    const hanging = executable(path.join(tempDir(), 'zsh'), '#!/bin/sh\nexec sleep 30\n');
    const began = Date.now();
    expect(await loginShellPath({ shell: hanging, timeoutMs: 300 })).toBeUndefined();
    expect(Date.now() - began).toBeLessThan(5000);
    const env: NodeJS.ProcessEnv = { PATH: GUI_PATH };
    expect(await adoptLoginShellPath({ shell: executable(path.join(tempDir(), 'zsh'), '#!/bin/sh\nexit 1\n'), platform: 'darwin', env })).toBeUndefined();
    expect(env.PATH).toBe(GUI_PATH);
  });

  it("puts it in front of the app's PATH on macOS, so python3 and mjpython are found as in a terminal", async () => {
    const bin = tempDir();
    const python = executable(path.join(bin, 'python3'));
    const mjpython = executable(path.join(bin, 'mjpython'));
    const env: NodeJS.ProcessEnv = { PATH: GUI_PATH };
    // What a Finder-opened app had: no mjpython, a refusal that says what to do
    expect(() => chooseInterpreter('python3', 'graphical', { platform: 'darwin', envPath: env.PATH })).toThrow(/mjpython/);
    expect(await adoptLoginShellPath({ shell: fakeShell(`${bin}:/usr/bin:/bin`), platform: 'darwin', env })).toBe(`${bin}:/usr/bin:/bin:/usr/sbin:/sbin`);
    expect(chooseInterpreter('python3', 'graphical', { platform: 'darwin', envPath: env.PATH })).toEqual({ python, origin: 'path', command: mjpython });
    // Not on Linux: a terminal's PATH is already there
    const linuxEnv: NodeJS.ProcessEnv = { PATH: GUI_PATH };
    expect(await adoptLoginShellPath({ shell: fakeShell(bin), platform: 'linux', env: linuxEnv })).toBeUndefined();
    expect(linuxEnv.PATH).toBe(GUI_PATH);
    expect(mergePath('/a:/b', '/b:/c::/a')).toBe('/a:/b:/c');
  });
});

describe("the project's own interpreter and mjpython", () => {
  it('prefers venv/bin/python3, then .venv/bin/python3, when the setting is the default python3', () => {
    const project = tempDir();
    const bin = tempDir();
    const onPath = executable(path.join(bin, 'python3'));
    const dotVenv = executable(path.join(project, '.venv', 'bin', 'python3'));
    expect(chooseInterpreter('python3', 'headless', { projectDir: project, envPath: bin })).toEqual({ python: dotVenv, origin: 'project', command: dotVenv });
    const venv = executable(path.join(project, 'venv', 'bin', 'python3'));
    expect(resolveInterpreter('python3', 'headless', 'linux', project)).toBe(venv);
    // A setting the user chose is kept, name or path
    expect(chooseInterpreter(onPath, 'headless', { projectDir: project })).toMatchObject({ python: onPath, origin: 'setting' });
    expect(chooseInterpreter('python3', 'headless', { envPath: bin })).toMatchObject({ python: onPath, origin: 'path' });
  });

  it("runs the project's mjpython in graphical mode on macOS, and refuses, saying how to get it, when there is none", () => {
    const project = tempDir();
    const bin = tempDir();
    executable(path.join(bin, 'mjpython'));
    const venvPython = executable(path.join(project, '.venv', 'bin', 'python3'));
    // An mjpython elsewhere on PATH would run without the project's packages: refused, never plain python
    let refusal: unknown;
    try {
      chooseInterpreter('python3', 'graphical', { projectDir: project, platform: 'darwin', envPath: bin });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(BbiaError);
    expect((refusal as BbiaError).message).toMatch(/graphical mode needs mjpython on macOS/);
    expect((refusal as BbiaError).hint).toContain(`${venvPython} -m pip install mujoco`);
    expect((refusal as BbiaError).hint).toContain('bbia-safe start headless');
    const mjpython = executable(path.join(project, '.venv', 'bin', 'mjpython'));
    expect(resolveInterpreter('python3', 'graphical', 'darwin', project)).toBe(mjpython);
    expect(resolveInterpreter('python3', 'headless', 'darwin', project)).toBe(venvPython);
    expect(resolveInterpreter('python3', 'graphical', 'linux', project)).toBe(venvPython);
  });

  it('describes the interpreter for the popover, a refusal included, without throwing', () => {
    const project = tempDir();
    const venvPython = executable(path.join(project, 'venv', 'bin', 'python3'));
    expect(describeInterpreter('python3', { projectDir: project, platform: 'linux' })).toEqual({ setting: 'python3', python: venvPython, origin: 'project', graphical: venvPython });
    const mac = describeInterpreter('python3', { projectDir: project, platform: 'darwin' });
    expect(mac).toMatchObject({ setting: 'python3', python: venvPython, origin: 'project' });
    expect(mac.graphical).toBeUndefined();
    expect(mac.problem?.hint).toMatch(/pip install mujoco/);
    expect(describeInterpreter('/nowhere/python3', { platform: 'darwin' }).problem?.message).toMatch(/was not found/);
  });

  it("starts the robot with the project's .venv python (bbia-safe start)", async () => {
    const { home, project, ready } = sandbox();
    const marker = path.join(home, 'venv-python-ran');
    // The project's interpreter: notes that it ran, then is the machine's Python
    const real = (await import('../main/engine/supervise/interpreter.js')).findExecutable('python3')!;
    executable(path.join(project, '.venv', 'bin', 'python3'), `#!/bin/sh\necho "$@" >'${marker}'\nexec '${real}' "$@"\n`);
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: { BBIA_FAKE_READY: ready } })).code).toBe(0);
    await readyTree(ready);
    expect(fs.readFileSync(marker, 'utf8')).toContain('scripts/launch_complete_robot.py --headless');
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
  });
});
