import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../main/engine/wait.js';
import { assertNoForeignRobot, cli, lockPaths, tempDir, track } from './helpers.js';
import { PYTHON } from './python.js';

beforeEach(() => assertNoForeignRobot());

// A launcher that serves on --port, as the project's servers do, and dies on a port already taken
const LAUNCHER = `import socket, sys, time
port = int(sys.argv[sys.argv.index('--port') + 1])
print('starting on port', port, flush=True)
s = socket.socket()
s.bind(('127.0.0.1', port))
s.listen()
time.sleep(600)
`;

/** A listener holding a loopback port, started by the test; resolves to its PID and port. */
async function holdPort(dir: string): Promise<{ pid: number; port: number }> {
  const file = path.join(dir, 'port');
  const code = `import socket, sys, os\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen()\nopen(sys.argv[1] + '.tmp', 'w').write(str(s.getsockname()[1]))\nos.rename(sys.argv[1] + '.tmp', sys.argv[1])\nimport time\ntime.sleep(600)`;
  const sub = spawn(PYTHON, ['-c', code, file], { stdio: 'ignore' });
  track(sub.pid!);
  expect(await waitFor(() => fs.existsSync(file), 10_000)).toBe(true);
  return { pid: sub.pid!, port: Number(fs.readFileSync(file, 'utf8')) };
}

describe('a start that fails on a port already in use (issue 10, point 8)', () => {
  it('names the port, the process that holds it and how to free it; no lock files are left', async () => {
    const home = tempDir();
    const project = path.join(home, 'project');
    fs.mkdirSync(path.join(project, 'scripts'), { recursive: true });
    fs.writeFileSync(path.join(project, 'scripts', 'launch_complete_robot.py'), LAUNCHER);
    const held = await holdPort(home);
    const r = await cli(home, ['start', 'headless', '--detach', '--', '--port', String(held.port)], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Address already in use');
    expect(r.stderr).toContain(`Port ${held.port} is already in use by PID ${held.pid}`);
    expect(fs.existsSync(lockPaths(home).lock)).toBe(false);
    expect(fs.existsSync(lockPaths(home).pid)).toBe(false);
  });
});
