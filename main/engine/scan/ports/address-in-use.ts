import { isPort } from './types.js';

/**
 * Lines that say a bind failed because the address was taken, each with where its port sits (if it
 * says). Linux's EADDRINUSE is errno 98, macOS's is 48.
 * - uvicorn / asyncio / aiohttp: `[Errno 98] error while attempting to bind on address ('127.0.0.1', 8000): address already in use`
 *   (IPv6: `('::1', 8000, 0, 0)`); some print no reason after the address
 * - Python's socket: `OSError: [Errno 48] Address already in use` (no port: it comes from argv or the log)
 * - Node: `Error: listen EADDRINUSE: address already in use :::8080` (or `127.0.0.1:8080`)
 * - werkzeug (Flask): `Port 5000 is in use by another program.`
 * - Gradio: `OSError: Cannot find empty port in range: 7860-7860.` (the port is told for a one-port range only)
 */
const IN_USE: readonly { test: RegExp; port?: RegExp }[] = [
  { test: /\[Errno (?:98|48)\][^\n]*\bbind\b/i, port: /\bbind on address \(\s*'[^']*',\s*(\d+)/i },
  { test: /EADDRINUSE|address already in use/i, port: /\baddress already in use\s+\S*:(\d+)\b/i },
  { test: /\bPort (\d+) is in use by another program/i, port: /\bPort (\d+) is in use/i },
  { test: /Cannot find empty port in range: \d+-\d+/i, port: /in range: (\d+)-\1\b/i },
];

/** Colour codes that a logger may leave in a log file. */
// oxlint-disable-next-line no-control-regex -- ESC starts the colour codes this strips
const ANSI = /\u001b\[[0-9;]*m/g;

function portIn(text: string, pattern: RegExp | undefined): number | undefined {
  const match = pattern?.exec(text);
  const port = match ? Number(match[1]) : Number.NaN;
  return isPort(port) ? port : undefined;
}

/** The value of `--port N` or `--port=N` in an argument vector (the last one wins, as argparse does). */
function portInArgv(argv: readonly string[]): number | undefined {
  let found: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg === '--port' ? argv[i + 1] : arg.startsWith('--port=') ? arg.slice(7) : undefined;
    if (value !== undefined && /^\d+$/.test(value) && isPort(Number(value))) found = Number(value);
  }
  return found;
}

/**
 * The port that was already in use when a start failed, from its last log lines and its arguments;
 * undefined when the failure was something else, or when no port can be told. The port comes, in
 * this order, from a failure line itself (the most recent first), from `--port N` / `--port=N` in
 * argv, then from a `port=N` in the log.
 */
export function addressInUsePort(lines: readonly string[], argv: readonly string[]): number | undefined {
  const clean = lines.map((line) => line.replace(ANSI, ''));
  let inUse = false;
  for (let i = clean.length - 1; i >= 0; i--) {
    for (const shape of IN_USE) {
      if (!shape.test.test(clean[i]!)) continue;
      inUse = true;
      const port = portIn(clean[i]!, shape.port);
      if (port !== undefined) return port;
    }
  }
  if (!inUse) return undefined;
  const fromArgv = portInArgv(argv);
  if (fromArgv !== undefined) return fromArgv;
  for (let i = clean.length - 1; i >= 0; i--) {
    const port = portIn(clean[i]!, /\bport=(\d+)\b/i);
    if (port !== undefined) return port;
  }
  return undefined;
}
