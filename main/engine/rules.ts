import path from 'node:path';

/** The kinds of BBIA process of the contract. */
export const KINDS = ['robot', 'simulator', 'viewer', 'test', 'websocket', 'other'] as const;

/** One kind of BBIA process. */
export type Kind = (typeof KINDS)[number];

/** A detection rule: a case-insensitive substring of the whole command line, and the kind it means. */
export interface Rule {
  /** Substring to look for, case-insensitive. */
  pattern: string;
  /** Kind given to a match. */
  kind: Kind;
}

/** The contract's default rules, robot first; pytest is decided separately (it depends on the project folder). */
export const DEFAULT_RULES: readonly Rule[] = [
  { pattern: 'launch_complete_robot.py', kind: 'robot' },
  { pattern: 'websocket_integration', kind: 'websocket' },
  { pattern: 'mjpython', kind: 'viewer' },
  { pattern: 'mujoco', kind: 'viewer' },
  { pattern: 'bbia_sim', kind: 'simulator' },
  { pattern: 'reachy', kind: 'simulator' },
];

const PYTEST = /(^|[\s/])(py\.test|pytest)(\s|$|\.py)|-m\s+pytest\b/i;
const LOCK_FILE_NAMES = /\.bbia_sim\.(pid|lock)\S*/g;
const SELF = /(^|\/)bbia-safe(\.js)?$|bbia-safe\.app\/|bbia-safe helper/i;

/** What the classifier needs besides the command line. */
export interface ClassifyContext {
  /** Absolute folders of the BBIA project (settings, running instance, current folder). */
  projectRoots: readonly string[];
  /** Extra rules from the settings, tried after the defaults. */
  extraRules?: readonly Rule[];
  /** Reads a process's working folder, only asked for pytest candidates. */
  cwdOf: (pid: number) => string | undefined;
}

/**
 * The first word of the keeper's `python -I -S -c` program (keeper.ts): what tells it from any other Python.
 * One word, since macOS's reader splits the command line on spaces.
 */
export const KEEPER_TAG = '#bbia-safe-keeper';

/** True for the keeper of a detached instance (a Python whose `-c` program starts with the tag). */
export function isKeeper(argv: readonly string[]): boolean {
  return argv.some((arg, i) => i > 0 && argv[i - 1] === '-c' && arg.startsWith(KEEPER_TAG));
}

/** True for a process that is bbia-safe itself (CLI, detached supervisor, its keeper, the app): never a target. */
export function isBbiaSafe(argv: readonly string[]): boolean {
  return argv.slice(0, 3).some((arg) => SELF.test(arg)) || isKeeper(argv);
}

/** True when `child` is `root` or inside it. */
export function isInside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function pytestInProject(pid: number, argv: readonly string[], ctx: ClassifyContext): boolean {
  if (ctx.projectRoots.length === 0) return false;
  const cwd = ctx.cwdOf(pid);
  const inRoots = (p: string) => ctx.projectRoots.some((root) => isInside(p, root));
  if (cwd && inRoots(cwd)) return true;
  return argv.slice(1).some((arg) => {
    if (arg.startsWith('-')) return false;
    if (path.isAbsolute(arg)) return inRoots(arg);
    return cwd !== undefined && arg.includes('/') && inRoots(path.resolve(cwd, arg));
  });
}

/** The kind of a command line, or undefined when it is not a BBIA process. */
export function classify(pid: number, argv: readonly string[], command: string, ctx: ClassifyContext): Kind | undefined {
  if (argv.length === 0 || isBbiaSafe(argv)) return undefined;
  // bbia-safe's own lock file names are not the simulator: `cat ~/.bbia_sim.pid` is not a BBIA process
  const lower = command.toLowerCase().replace(LOCK_FILE_NAMES, '');
  if (lower.includes('launch_complete_robot.py')) return 'robot';
  if (PYTEST.test(command)) return pytestInProject(pid, argv, ctx) ? 'test' : undefined;
  for (const rule of [...DEFAULT_RULES, ...(ctx.extraRules ?? [])]) {
    if (lower.includes(rule.pattern.toLowerCase())) return rule.kind;
  }
  return undefined;
}
