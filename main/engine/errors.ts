import { engineText, type EngineTextKey, type TextRef, type TextVars } from '../../common/i18n/engine-text.js';

/** Exit codes of the outside contract (docs/contract.md). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  refused: 3,
} as const;

/** A numeric exit code of the contract. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A failure the user can act on: what went wrong, what to do next, and the exit code it maps to.
 * Made with {@link BbiaError.of}, it also carries its text's key and values (main/i18n/engine-text.ts),
 * so each front prints it in the user's language; `message` and `hint` are the English text.
 */
export class BbiaError extends Error {
  /** Contract exit code for this failure. */
  readonly exitCode: ExitCodeValue;
  /** One sentence telling the user what to do next. */
  readonly hint: string;
  /** The message as a key and values, when it has one. */
  text?: TextRef;
  /** The hint as a key and values, when it has one. */
  hintText?: TextRef;

  /** Creates an error with its exit code and a next-step hint. */
  constructor(message: string, hint: string, exitCode: ExitCodeValue = ExitCode.failed) {
    super(message);
    this.name = 'BbiaError';
    this.hint = hint;
    this.exitCode = exitCode;
  }

  /** An error from the text catalogue: `key` and its hint `<key>Hint` (or `hint`), both filled from `vars`. */
  static of(key: EngineTextKey, vars: TextVars = {}, exitCode: ExitCodeValue = ExitCode.failed, hint?: TextRef): BbiaError {
    const hintText = hint ?? { key: `${key}Hint` as EngineTextKey, vars };
    const error = new BbiaError(engineText('en', { key, vars }), engineText('en', hintText), exitCode);
    error.text = { key, vars };
    error.hintText = hintText;
    return error;
  }
}

/** True for a Node system error carrying the given errno code. */
export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}
