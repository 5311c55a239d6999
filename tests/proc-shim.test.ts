import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProcSource } from '../main/engine/scan/proc/source.js';
import { waitFor } from '../main/engine/wait.js';
import { LINUX, tempDir, track } from './helpers.js';
import { PYTHON } from './python.js';

describe('the Linux reader and a pyenv-style shim', () => {
  it.runIf(LINUX)('does not keep the command line read while env ran the shim\'s shebang (same comm as the Python it execs)', async () => {
    // pyenv's shape: `#!/usr/bin/env bash` in a shims folder, exec'ing the real interpreter
    const shim = path.join(tempDir(), 'shims', 'python3');
    fs.mkdirSync(path.dirname(shim));
    fs.writeFileSync(shim, `#!/usr/bin/env bash\nsleep 0.3\nexec -a python3 "${PYTHON}" "$@"\n`, { mode: 0o755 });
    // env's stage lasts a millisecond or so: start the shim again until a read lands in it (19 of 20 do here)
    let caught = 0;
    for (let attempt = 0; attempt < 5 && caught === 0; attempt++) {
      const child = spawn(shim, ['-c', 'import time; time.sleep(30)'], { stdio: 'ignore' });
      track(child.pid!);
      try {
        const source = createProcSource();
        // Caught at env's stage: argv `/usr/bin/env bash .../shims/python3 -c ...`, comm already `python3`
        const until = Date.now() + 300;
        let atEnv = false;
        // A tight loop, not a timer: the stage is shorter than a timer's tick
        while (!atEnv && Date.now() < until) atEnv = source.read(child.pid!)?.command.startsWith('/usr/bin/env bash') === true;
        if (!atEnv) continue;
        caught++;
        // Not read again during bash's stage (comm `bash`); then the same reader must see the Python
        expect(await waitFor(() => fs.readFileSync(`/proc/${child.pid}/cmdline`, 'latin1').startsWith('python3\0'), 5000)).toBe(true);
        expect(source.read(child.pid!)?.command).toBe('python3 -c import time; time.sleep(30)');
      } finally {
        child.kill('SIGKILL');
      }
    }
    expect(caught).toBe(1);
  });
});
