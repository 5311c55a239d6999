import { execFileSync } from 'node:child_process';

/**
 * The real interpreter behind `python3` on the PATH (a pyenv shim is a shell that execs it a few
 * milliseconds later): processes started with it show their final command line from the start.
 */
export const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
