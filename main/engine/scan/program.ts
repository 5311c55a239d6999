import path from 'node:path';

/**
 * What a command line runs, read the way the interpreter itself reads it: the script, module or code
 * of a Python-family interpreter, a console script run through one, or a native program.
 */
export type Program =
  | { type: 'script'; script: string; args: string[] }
  | { type: 'module'; module: string; args: string[] }
  | { type: 'code'; code: string; args: string[] }
  | { type: 'interactive' }
  | { type: 'native'; name: string; args: string[] };

/** python, python3, python3.11, pythonw, python3.13t, mjpython, pypy3, and macOS's framework `Python`. */
const INTERPRETER = /^(python|pypy)(\d+(\.\d+)*)?[tdmw]?(\.exe)?$|^mjpython$/i;
/** Shells that may run a pyenv or asdf shim before it execs the real interpreter. */
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash']);
/** Interpreter options that take a value (the value may be glued on: `-Wignore`). */
const WITH_VALUE = new Set(['W', 'X']);

/** True for the file name of a Python-family interpreter. */
export function isInterpreter(file: string): boolean {
  return INTERPRETER.test(path.basename(file));
}

/**
 * The argument vector without a leading shim (`bash ~/.pyenv/shims/python3 x.py` -> `python3 x.py`, then
 * `bash ~/.pyenv/libexec/pyenv exec python3 x.py` -> `python3 x.py`): the milliseconds before the real
 * interpreter runs are judged as what they will run.
 */
function unshim(argv: readonly string[]): readonly string[] {
  if (!SHELLS.has(path.basename(argv[0] ?? '')) || !argv[1]) return argv;
  if (/\/shims\//.test(argv[1]) && isInterpreter(argv[1])) return argv.slice(1);
  if (/\/libexec\/pyenv(-exec)?$/.test(argv[1])) {
    const rest = argv[2] === 'exec' ? argv.slice(3) : argv.slice(2);
    if (rest[0] && isInterpreter(rest[0])) return rest;
  }
  return argv;
}

/** Reads the interpreter's own options (`-B -u -X dev -m mod`, `-Bc code`) up to what it runs. */
function pythonProgram(argv: readonly string[]): Program {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-' || !arg.startsWith('-')) return arg === '-' ? { type: 'interactive' } : { type: 'script', script: arg, args: argv.slice(i + 1) };
    if (arg === '--') return argv[i + 1] ? { type: 'script', script: argv[i + 1]!, args: argv.slice(i + 2) } : { type: 'interactive' };
    if (arg.startsWith('--')) {
      if (arg === '--check-hash-based-pycs') i++;
      continue;
    }
    // A cluster of one-letter flags; `m`, `c`, `W` and `X` take the rest of it, or the next argument
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j]!;
      if (flag !== 'm' && flag !== 'c' && !WITH_VALUE.has(flag)) continue;
      const glued = arg.slice(j + 1);
      const value = glued !== '' ? glued : argv[++i];
      if (value === undefined) return { type: 'interactive' };
      if (flag === 'm') return { type: 'module', module: value, args: argv.slice(i + 1) };
      if (flag === 'c') return { type: 'code', code: value, args: argv.slice(i + 1) };
      break;
    }
  }
  return { type: 'interactive' };
}

/** What `argv` runs. */
export function programOf(argv: readonly string[]): Program {
  const args = unshim(argv);
  const exe = args[0] ?? '';
  if (isInterpreter(exe) || /\/Python\.app\/Contents\/MacOS\/Python$|^Python$/.test(exe)) return pythonProgram(args);
  return { type: 'native', name: path.basename(exe), args: args.slice(1) };
}

/** Folders inside a project that hold installed code rather than the project's own. */
const INSTALLED = /(^|\/)(\.?venv[^/]*|env|\.tox|\.nox|site-packages|dist-packages|node_modules|__pypackages__)(\/|$)/;

/**
 * The name of the console script a script path may be (`/x/.venv/bin/pytest` -> `pytest`): a file in a
 * `bin` (or Windows-style `Scripts`) folder; undefined for any other path. Whether it is one depends on
 * where it lives (installed code, or a project's own `bin/`), which the classifier decides.
 */
export function consoleScriptName(script: string): string | undefined {
  return /^(bin|Scripts)$/.test(path.basename(path.dirname(script))) ? path.basename(script).replace(/\.py$/, '') : undefined;
}

/** True when a path inside a project is installed code (a virtualenv, site-packages), not the project's own. */
export function isInstalledPath(relative: string): boolean {
  return INSTALLED.test(relative);
}

/** Debuggers, profilers and coverage run another program: judged as that program. Their options that take a value. */
export const RUNNERS: Readonly<Record<string, ReadonlySet<string>>> = {
  pdb: new Set(['-c', '--command']),
  cProfile: new Set(['-o', '-s']),
  profile: new Set(['-o', '-s']),
  trace: new Set(['-f', '--file', '-C', '--coverdir', '--ignore-module', '--ignore-dir']),
  debugpy: new Set(['--listen', '--connect', '--log-to', '--pid', '--configure-subProcess', '--adapter-access-token']),
  coverage: new Set(['-p', '--rcfile', '--source', '--include', '--omit', '--data-file', '--context', '--concurrency']),
};

/** The program a runner runs (`-m pdb scripts/x.py`, `coverage run -m pytest`), as the interpreter would see it. */
export function innerProgram(runner: string, args: readonly string[]): Program | undefined {
  const withValue = RUNNERS[runner]!;
  let rest = runner === 'coverage' ? (args[0] === 'run' ? args.slice(1) : undefined) : args;
  if (!rest) return undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '-m' && rest[i + 1]) return { type: 'module', module: rest[i + 1]!, args: rest.slice(i + 2) };
    if (arg === '--') {
      rest = rest.slice(i + 1);
      return rest[0] ? { type: 'script', script: rest[0], args: rest.slice(1) } : undefined;
    }
    if (withValue.has(arg)) i++;
    else if (!arg.startsWith('-')) return { type: 'script', script: arg, args: rest.slice(i + 1) };
  }
  return undefined;
}
