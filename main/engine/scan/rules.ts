import path from 'node:path';

/** The kinds of BBIA process of the contract. */
export const KINDS = ['robot', 'simulator', 'viewer', 'server', 'test', 'websocket', 'other'] as const;

/** One kind of BBIA process. */
export type Kind = (typeof KINDS)[number];

/** A detection rule of the settings (`extraRules`): a case-insensitive substring of the command line, and the kind it means. */
export interface Rule {
  /** Substring to look for, case-insensitive. */
  pattern: string;
  /** Kind given to a match. */
  kind: Kind;
}

const SELF = /(^|\/)bbia-safe(\.js)?$|bbia-safe\.app\/|bbia-safe helper/i;

/**
 * The first word of the detached supervisor's `python -I -S -c` program (detached.ts): what tells it from any other Python.
 * One word, since macOS's reader splits the command line on spaces.
 */
export const SUPERVISOR_TAG = '#bbia-safe-supervisor';

/** True for the detached supervisor of a detached instance (a Python whose `-c` program starts with the tag). */
export function isDetachedSupervisor(argv: readonly string[]): boolean {
  return argv.some((arg, i) => i > 0 && argv[i - 1] === '-c' && arg.startsWith(SUPERVISOR_TAG));
}

/** True for a process that is bbia-safe itself (CLI, detached supervisor in Python, the app): never a target. */
export function isBbiaSafe(argv: readonly string[]): boolean {
  return argv.slice(0, 3).some((arg) => SELF.test(arg)) || isDetachedSupervisor(argv);
}

/** True when `child` is `root` or inside it. */
export function isInside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
