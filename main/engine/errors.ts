/** Exit codes of the outside contract (docs/contract.md). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  refused: 3,
} as const;

/** A numeric exit code of the contract. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the user can act on: what went wrong, what to do next, and the exit code it maps to. */
export class BbiaError extends Error {
  /** Contract exit code for this failure. */
  readonly exitCode: ExitCodeValue;
  /** One sentence telling the user what to do next. */
  readonly hint: string;

  /** Creates an error with its exit code and a next-step hint. */
  constructor(message: string, hint: string, exitCode: ExitCodeValue = ExitCode.failed) {
    super(message);
    this.name = 'BbiaError';
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/** True for a Node system error carrying the given errno code. */
export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}
