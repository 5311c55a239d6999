import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressInUsePort, createPortReader } from '../main/engine/scan/ports/index.js';
import { parseListenTable } from '../main/engine/scan/ports/linux.js';
import { parseLsofFields, portOfLsofName } from '../main/engine/scan/ports/lsof-fields.js';
import { topHolder } from '../main/engine/scan/ports/types.js';
import { tempDir } from './helpers.js';

// The port readers on recorded output (lsof -F, /proc/net/tcp) and the address-in-use parser;
// tests/ports.test.ts runs both readers against real processes.
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'lsof');

/** A stand-in lsof that logs its arguments and prints a recorded output with a given exit code. */
function fakeTool(output: string, exitCode: number): { file: string; calls: () => string[] } {
  const dir = tempDir('bbia-fake-lsof-');
  const file = path.join(dir, 'lsof');
  fs.writeFileSync(file, `#!/bin/sh\necho "$*" >> "${dir}/calls"\ncat "${output}"\nexit ${exitCode}\n`, { mode: 0o755 });
  return { file, calls: () => (fs.existsSync(`${dir}/calls`) ? fs.readFileSync(`${dir}/calls`, 'utf8').trim().split('\n') : []) };
}

describe('the macOS reader on recorded lsof -F output', () => {
  const GONE = 4_194_305; // above Linux's largest pid_max and macOS's 99998: never a live PID
  it('parses process sets, skipping the f fields of lsof 4.88-4.93', () => {
    const sets = parseLsofFields(fs.readFileSync(path.join(FIXTURES, 'listening.txt'), 'utf8'));
    expect(sets.map((s) => [s.pid, s.names])).toEqual([
      [41230, ['*:8000']],
      [41231, ['*:8000']],
      [41244, ['127.0.0.1:8001', '[::1]:8001']],
      [41250, ['127.0.0.1:7860', '*:7860']],
    ]);
    expect(['*:8000', '127.0.0.1:8001', '[::1]:8002', '127.0.0.1:8001->127.0.0.1:50000', '[::1]:8003 (LISTEN)', '*:*'].map(portOfLsofName)).toEqual([
      8000, 8001, 8002, 8001, 8003, undefined,
    ]);
  });
  it('runs one lsof for the PID set, takes its output on exit 1, and leaves out the gone PID', async () => {
    const lsof = fakeTool(path.join(FIXTURES, 'listening.txt'), 1);
    const ports = await createPortReader('darwin', { lsof: lsof.file }).listening([41250, 41244, 41231, 41230, GONE]);
    expect([...ports]).toEqual([[41230, [8000]], [41231, [8000]], [41244, [8001]], [41250, [7860]]]);
    expect(lsof.calls()).toEqual([`-w -nP -a -iTCP -sTCP:LISTEN -p 41230,41231,41244,41250,${GONE} -F pn`]);
  });
  it('reuses one PID set answer for cacheMs, shared by concurrent calls, then asks again', async () => {
    const lsof = fakeTool(path.join(FIXTURES, 'listening.txt'), 0);
    let clock = 0;
    const reader = createPortReader('darwin', { lsof: lsof.file, cacheMs: 1000, now: () => clock });
    const [a, b] = await Promise.all([reader.listening([41230, 41231]), reader.listening([41231, 41230])]);
    expect(a).toEqual(b);
    clock = 999;
    await reader.listening([41230, 41231]);
    expect(lsof.calls()).toHaveLength(1);
    await reader.listening([41230]);
    clock = 1000;
    await reader.listening([41230, 41231]);
    expect(lsof.calls()).toHaveLength(3);
  });
  it('names the topmost holder, with the short name when ps cannot tell the command line', async () => {
    const lsof = fakeTool(path.join(FIXTURES, 'holder.txt'), 0);
    const ps = fakeTool('/dev/null', 1);
    expect(await createPortReader('darwin', { lsof: lsof.file, ps: ps.file }).holder(8000)).toEqual({ pid: 41230, command: 'Python' });
    expect(lsof.calls()).toEqual(['-w -nP -iTCP:8000 -sTCP:LISTEN -F pcR']);
    expect(ps.calls()).toEqual(['-ww -o command= -p 41230']);
  });
  it('picks the holder whose parent does not hold the socket, whatever the PID order', () => {
    const worker = { pid: 301, ppid: 7000, command: 'worker' };
    const server = { pid: 7000, ppid: 1, command: 'server' };
    expect(topHolder([worker, server])).toBe(server);
    expect(topHolder([{ ...worker, ppid: 1 }, server])?.pid).toBe(301);
    expect(topHolder([])).toBeUndefined();
  });
  it('gives no entries and no holder when lsof fails or is missing', async () => {
    for (const lsof of [fakeTool(path.join(FIXTURES, 'listening.txt'), 2).file, '/nonexistent/lsof']) {
      const reader = createPortReader('darwin', { lsof });
      expect((await reader.listening([process.pid])).size).toBe(0);
      expect(await reader.holder(8000)).toBeUndefined();
    }
  });
});

describe('the Linux /proc/net/tcp parser', () => {
  it('keeps LISTEN sockets only, inode -> port', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 412345 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:D2F0 0100007F:1F40 01 00000000:00000000 00:00000000 00000000  1000        0 412399 1 0000000000000000 20 4 30 10 -1',
      '   2: 0100007F:1F42 0100007F:C350 06 00000000:00000000 03:00000F9C 00000000     0        0 0 3 0000000000000000',
    ].join('\n');
    const tcp6 = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000000000000000000001000000:1F41 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 412400 1 0000000000000000 100 0 0 10 0',
    ].join('\n');
    expect([...parseListenTable(tcp6, parseListenTable(tcp))]).toEqual([['412345', 8000], ['412400', 8001]]);
  });
});

describe('addressInUsePort', () => {
  const UVICORN = "ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 8000): address already in use";
  const cases: [string, string[], string[], number | undefined][] = [
    ['uvicorn on Linux (the line beats argv)', ['INFO:     Waiting for application startup.', UVICORN, 'INFO:     Waiting for application shutdown.'], ['--port', '9000'], 8000],
    ['uvicorn on macOS, IPv6', ["ERROR:    [Errno 48] error while attempting to bind on address ('::1', 8001, 0, 0): address already in use"], [], 8001],
    ['asyncio on Python 3.13', ["OSError: [Errno 98] error while attempting to bind on address ('127.0.0.1', 8000): [errno 98] address already in use"], [], 8000],
    ['uvicorn in colour', [`\u001b[31mERROR\u001b[0m:    ${UVICORN.slice(10)}`], [], 8000],
    ['aiohttp / asyncio', ["OSError: [Errno 98] error while attempting to bind on address ('0.0.0.0', 8001)"], [], 8001],
    ["Python's socket, --port N", ['Traceback (most recent call last):', 'OSError: [Errno 48] Address already in use'], ['scripts/bbia_dashboard_server.py', '--port', '8001'], 8001],
    ["Python's socket, --port=N", ['OSError: [Errno 98] Address already in use'], ['--port=8002', '--headless'], 8002],
    ["Python's socket, port=N in the log", ['starting dashboard host=127.0.0.1 port=8003', 'OSError: [Errno 98] Address already in use'], [], 8003],
    ["Python's socket, no port anywhere", ['OSError: [Errno 48] Address already in use'], ['--port', 'http'], undefined],
    ['Node, IPv6 wildcard', ['Error: listen EADDRINUSE: address already in use :::8080', '    at Server.setupListenHandle'], [], 8080],
    ['Node, IPv4', ['Error: listen EADDRINUSE: address already in use 127.0.0.1:3000'], [], 3000],
    ['werkzeug (Flask)', ['Address already in use', 'Port 5000 is in use by another program. Either identify and stop that program.'], [], 5000],
    ['Gradio, one port', ['OSError: Cannot find empty port in range: 7860-7860. You can specify a different port'], [], 7860],
    ['the most recent failure', [UVICORN, "ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 8001): address already in use"], [], 8001],
    ['not in use: permission denied', ["ERROR:    [Errno 13] error while attempting to bind on address ('0.0.0.0', 80): permission denied"], ['--port', '80'], undefined],
    ['not in use: cannot assign', ["ERROR:    [Errno 99] error while attempting to bind on address ('10.9.9.9', 8000): cannot assign requested address"], [], undefined],
    ['not in use: a crash', ["ModuleNotFoundError: No module named 'mujoco'"], ['--port', '8000'], undefined],
    ['no log at all', [], ['--port', '8000'], undefined],
  ];
  it.each(cases)('%s', (_name, lines, argv, port) => {
    expect(addressInUsePort(lines, argv)).toBe(port);
  });
});
