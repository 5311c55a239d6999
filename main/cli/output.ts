import { BbiaError } from '../engine/errors.js';
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

/** Prints an error as the house style wants it: what failed, then what to do; returns its exit code. */
export function reportError(error: unknown, io: Output, t: Translate): number {
  if (error instanceof BbiaError && error.hint === '') {
    io.err(error.message);
    return error.exitCode;
  }
  if (error instanceof BbiaError) {
    io.err(t('error', { text: error.message }));
    io.err(t('next', { text: error.hint }));
    return error.exitCode;
  }
  io.err(t('error', { text: error instanceof Error ? error.message : String(error) }));
  io.err(t('next', { text: 'this is a bug in bbia-safe; please report it with the command you ran' }));
  return 1;
}
