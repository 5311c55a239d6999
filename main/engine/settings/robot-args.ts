/**
 * The `robotArgs` setting as text: how the popover's field and `bbia-safe config set robotArgs VALUE` read it,
 * and how it is shown. Pure (no Node modules): the renderer bundles it too.
 */

/** Most arguments `robotArgs` holds (the schema's and the IPC validator's limit). */
export const MAX_ROBOT_ARGS = 64;

/** Longest single argument. */
export const MAX_ROBOT_ARG_LENGTH = 4096;

/** Why a `robotArgs` text was refused: a short English reason and its French twin (the settings' two languages). */
export interface RobotArgsProblem {
  /** English reason. */
  en: string;
  /** French reason. */
  fr: string;
}

/** Checks a parsed list against the limits; undefined when it is fine. */
export function robotArgsProblem(args: readonly unknown[]): RobotArgsProblem | undefined {
  if (args.length > MAX_ROBOT_ARGS) return { en: `at most ${MAX_ROBOT_ARGS} arguments`, fr: `au plus ${MAX_ROBOT_ARGS} arguments` };
  for (const a of args) {
    if (typeof a !== 'string') return { en: 'every argument must be a string', fr: 'chaque argument doit être une chaîne' };
    if (a.length > MAX_ROBOT_ARG_LENGTH || a.includes('\0')) return { en: 'an argument is too long or holds a NUL', fr: 'un argument est trop long ou contient un NUL' };
  }
  return undefined;
}

/**
 * Reads `robotArgs` from one line of text: a JSON list (`["--model", "reachy_mini.xml"]`), or words split
 * as a shell splits them, without expanding anything (`--model reachy_mini.xml`, `--name 'my robot'`).
 * An empty text is no arguments. Returns the list, or the problem.
 */
export function parseRobotArgs(text: string): { args: string[] } | { problem: RobotArgsProblem } {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return { problem: { en: 'not a valid JSON list', fr: 'pas une liste JSON valide' } };
    }
    if (!Array.isArray(value)) return { problem: { en: 'not a JSON list', fr: 'pas une liste JSON' } };
    const problem = robotArgsProblem(value);
    return problem ? { problem } : { args: value as string[] };
  }
  const args: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < trimmed.length) word += trimmed[++i]!;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < trimmed.length) {
      word = (word ?? '') + trimmed[++i]!;
    } else if (/\s/.test(c)) {
      if (word !== undefined) args.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (quote) return { problem: { en: `a ${quote} quote is not closed`, fr: `un guillemet ${quote} n’est pas fermé` } };
  if (word !== undefined) args.push(word);
  const problem = robotArgsProblem(args);
  return problem ? { problem } : { args };
}

/** Shows `robotArgs` as one line that {@link parseRobotArgs} reads back to the same list. */
export function formatRobotArgs(args: readonly string[]): string {
  return args.map((a) => (a !== '' && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}
