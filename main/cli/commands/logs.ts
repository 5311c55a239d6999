import fs from 'node:fs';
import { BbiaError } from '../../engine/errors.js';
import { tailLog } from '../../engine/supervise/log-file.js';
import type { CommandSpec } from '../args.js';
import type { CliContext } from '../context.js';
import { nextStopSignal } from '../signals.js';

/** `logs [-f] [-n N]`. */
export const logsSpec: CommandSpec = {
  options: { f: 'boolean', follow: 'boolean', n: 'number', lines: 'number' },
  maxPositional: 0,
  usage: 'bbia-safe logs [-f|--follow] [-n|--lines N]',
};

/** Prints the last lines of the robot log; with -f, follows it (through rotation) until Ctrl+C. */
export async function logs(ctx: CliContext, options: { f?: boolean; follow?: boolean; n?: number; lines?: number }): Promise<number> {
  const file = ctx.engine.paths.robotLog;
  const n = Math.floor(options.n ?? options.lines ?? 20);
  if (!fs.existsSync(file)) {
    throw BbiaError.of('noLog', { file });
  }
  for (const line of tailLog(file, n)) ctx.io.out(line);
  if (!(options.f || options.follow)) return 0;
  let offset = fs.statSync(file).size;
  const poll = () => {
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      return;
    }
    if (size < offset) offset = 0; // truncated or rotated: read the new file from its start
    if (size === offset) return;
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(size - offset);
      fs.readSync(fd, buf, 0, buf.length, offset);
      offset = size;
      process.stdout.write(buf);
    } finally {
      fs.closeSync(fd);
    }
  };
  const timer = setInterval(poll, 200);
  await nextStopSignal().signal;
  clearInterval(timer);
  return 0;
}
