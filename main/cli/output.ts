import { BbiaError } from '../engine/errors.js';
import { engineText } from '../../common/i18n/engine-text.js';
import type { Translate } from './i18n.js';

/** Where the command line writes; a closed terminal (EIO, EPIPE) never crashes it. */
export interface Output {
  /** Writes a line to stdout. */
  out(text: string): void;
  /** Writes a line to stderr. */
  err(text: string): void;
}

/** Output on the process's own streams, ignoring write errors once the terminal is gone. */
export function processOutput(): Output {
  const ignore = () => {};
  process.stdout.on('error', ignore);
  process.stderr.on('error', ignore);
  const write = (stream: NodeJS.WriteStream, text: string) => {
    try {
      stream.write(`${text}\n`);
    } catch {
      // the terminal is gone (SIGHUP): keep going, the stop path must still run
    }
  };
  return { out: (t) => write(process.stdout, t), err: (t) => write(process.stderr, t) };
}

/** An error's message and hint in the translator's language (a keyed BbiaError), else as written. */
export function errorWords(error: BbiaError, t: Translate): { message: string; hint: string } {
  return {
    message: error.text ? engineText(t.lang, error.text) : error.message,
    hint: error.hintText ? engineText(t.lang, error.hintText) : error.hint,
  };
}

/** Prints an error as the house style wants it: what failed, then what to do; returns its exit code. */
export function reportError(error: unknown, io: Output, t: Translate): number {
  const e = error instanceof BbiaError ? error : BbiaError.of('bug', { why: error instanceof Error ? error.message : String(error) });
  const { message, hint } = errorWords(e, t);
  if (hint === '') {
    io.err(message);
    return e.exitCode;
  }
  io.err(t('error', { text: message }));
  io.err(t('next', { text: hint }));
  return e.exitCode;
}
