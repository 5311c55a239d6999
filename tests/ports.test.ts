import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { addressInUsePort, createPortReader, type PortReader } from '../main/engine/scan/ports/index.js';
import { waitFor } from '../main/engine/wait.js';
import { tempDir, track } from './helpers.js';

const LSOF = ['/usr/bin/lsof', '/usr/sbin/lsof'].find((p) => fs.existsSync(p));
const PS = ['/usr/bin/ps', '/bin/ps'].find((p) => fs.existsSync(p)) ?? 'ps';

/**
 * Listens on loopback only: 127.0.0.1 and ::1 on one shared port (a port listed once), ::1 on a
 * second one; also holds a connected client socket and a UDP socket, which are not listening TCP.
 * With `fork`, a child inherits every socket. Writes what it holds to a file, then waits (2 minutes
 * at most, so nothing outlives a failed test for long).
 */
const LISTENER = String.raw`
import json, os, socket, sys, time
out, mode = sys.argv[1], sys.argv[2]
def listen(family, host, port=0):
    s = socket.socket(family, socket.SOCK_STREAM)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((host, port))
    s.listen()
    return s
for _ in range(50):
    v4 = listen(socket.AF_INET, '127.0.0.1')
    shared = v4.getsockname()[1]
    try:
        v6 = listen(socket.AF_INET6, '::1', shared)
        break
    except OSError:
        v4.close()
v6only = listen(socket.AF_INET6, '::1')
client = socket.create_connection(('127.0.0.1', shared))
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(('127.0.0.1', 0))
child = os.fork() if mode == 'fork' else 0
if mode == 'fork' and child == 0:
    time.sleep(120)
    os._exit(0)
info = dict(pid=os.getpid(), child=child, ports=sorted([shared, v6only.getsockname()[1]]), shared=shared, client=client.getsockname()[1])
with open(out + '.tmp', 'w') as f:
    json.dump(info, f)
os.rename(out + '.tmp', out)
time.sleep(120)
`;

interface Listener {
  file: string;
  pid: number;
  child: number;
  ports: number[];
  /** The port held on 127.0.0.1 (and ::1). */
  shared: number;
  client: number;
}

async function listener(mode: 'alone' | 'fork'): Promise<Listener> {
  const file = path.join(tempDir('bbia-ports-'), 'ports.json');
  const sub = spawn('python3', ['-c', LISTENER, file, mode], { stdio: 'ignore' });
  track(sub.pid!);
  if (!(await waitFor(() => fs.existsSync(file), 15_000))) throw new Error('the python3 listener never wrote its ports');
  const info = { ...(JSON.parse(fs.readFileSync(file, 'utf8')) as Listener), file };
  if (info.child) track(info.child);
  expect(info.pid).toBe(sub.pid);
  return info;
}

async function deadPid(): Promise<number> {
  const sub = spawn('sleep', ['60'], { stdio: 'ignore' });
  sub.kill('SIGKILL');
  await new Promise((resolve) => sub.once('exit', resolve)); // reaped: the PID is gone
  return sub.pid!;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function lsofReader(): PortReader {
  if (!LSOF) throw new Error('the macOS reader is tested on a real lsof: install it (apt-get install lsof)');
  return createPortReader('darwin', { lsof: LSOF, ps: PS, cacheMs: 0 });
}
const readers: [string, () => PortReader][] = [
  ['the Linux reader (/proc)', () => createPortReader('linux')],
  ["the macOS reader (lsof -F), on this machine's lsof", lsofReader],
];

describe.each(readers)('%s against real processes', (_name, make) => {
  it('gives exactly the ports a process listens on, v4 and v6 of one port once', async () => {
    const l = await listener('alone');
    const ports = await make().listening([l.pid]);
    expect([...ports]).toEqual([[l.pid, l.ports]]);
    expect(l.ports).not.toContain(l.client);
  });
  it('gives [] to a live process without a socket, no entry and no throw to a dead PID', async () => {
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    track(sleeper.pid!);
    const dead = await deadPid();
    const ports = await make().listening([sleeper.pid!, dead, -1, 0]);
    expect([...ports]).toEqual([[sleeper.pid, []]]);
  });
  it('sees a listening socket inherited by a forked child, and names the topmost holder', async () => {
    const l = await listener('fork');
    const reader = make();
    const ports = await reader.listening([l.child, l.pid]);
    expect(ports.get(l.pid)).toEqual(l.ports);
    expect(ports.get(l.child)).toEqual(l.ports);
    for (const port of l.ports) {
      const holder = await reader.holder(port);
      expect(holder?.pid).toBe(l.pid);
      expect(holder?.command).toMatch(/python/);
      expect(holder?.command).toContain(`${l.file} fork`);
    }
    process.kill(l.pid, 'SIGKILL'); // started by this test, above
    expect(await waitFor(() => !fs.existsSync(`/proc/${l.pid}`), 5000)).toBe(true);
    expect((await reader.holder(l.ports[0]!))?.pid).toBe(l.child);
  });
  it('names no holder for a port nobody listens on, nor for a client port or a non-port', async () => {
    const l = await listener('alone');
    const reader = make();
    expect(await reader.holder(await freePort())).toBeUndefined();
    expect(await reader.holder(l.client)).toBeUndefined();
    expect(await reader.holder(0)).toBeUndefined();
    expect(await reader.holder(70_000)).toBeUndefined();
  });
});

describe('a start that fails on a port in use', () => {
  const ASYNCIO = "import asyncio, sys\nasyncio.run(asyncio.start_server(lambda r, w: None, '127.0.0.1', int(sys.argv[1])))";
  const SOCKET = "import socket, sys\nsocket.socket().bind(('127.0.0.1', int(sys.argv[2])))";
  it('tells the port from the real error, and the holder from it', async () => {
    const l = await listener('alone');
    // The port held on 127.0.0.1: the other one is held on ::1 only, where binding 127.0.0.1 succeeds
    const port = l.shared;
    for (const argv of [['-c', ASYNCIO, String(port)], ['-c', SOCKET, '--port', String(port)]]) {
      const failed = await execa('python3', argv, { reject: false, stdin: 'ignore' });
      expect(failed.exitCode).toBe(1);
      expect(addressInUsePort(String(failed.stderr).split('\n'), argv.slice(2))).toBe(port);
    }
    expect((await createPortReader('linux').holder(port))?.pid).toBe(l.pid);
  });
});

/** Binds 127.0.0.1 without listening, listens once `go1` exists, then opens a second listener once `go2` exists. */
const LATE = String.raw`
import json, os, socket, sys, time
out = sys.argv[1]
def stage(name, **info):
    with open(out + '.tmp', 'w') as f:
        json.dump(dict(pid=os.getpid(), **info), f)
    os.rename(out + '.tmp', out + name)
def wait(name):
    deadline = time.time() + 120
    while not os.path.exists(out + name) and time.time() < deadline:
        time.sleep(0.02)
first = socket.socket()
first.bind(('127.0.0.1', 0))
stage('.bound', port=first.getsockname()[1])
wait('.go1')
first.listen()
stage('.listening')
wait('.go2')
second = socket.socket()
second.bind(('127.0.0.1', 0))
second.listen()
stage('.second', port=second.getsockname()[1])
wait('.never')
`;

describe('the Linux reader between polls', () => {
  async function stage(base: string, name: string): Promise<{ pid: number; port: number }> {
    if (!(await waitFor(() => fs.existsSync(base + name), 15_000))) throw new Error(`the python3 listener never reached ${name}`);
    return JSON.parse(fs.readFileSync(base + name, 'utf8')) as { pid: number; port: number };
  }
  it('rereads the tables at once for a new socket, and after recheckMs for a socket that starts listening', async () => {
    const base = path.join(tempDir('bbia-ports-'), 'late');
    const sub = spawn('python3', ['-c', LATE, base], { stdio: 'ignore' });
    track(sub.pid!);
    const { pid, port: first } = await stage(base, '.bound');
    let clock = 0;
    const reader = createPortReader('linux', { recheckMs: 5000, now: () => clock });
    expect(await reader.listening([pid])).toEqual(new Map([[pid, []]]));
    fs.writeFileSync(`${base}.go1`, '');
    await stage(base, '.listening');
    clock = 4999; // same socket, read 4999 ms ago: the tables are not read again
    expect(await reader.listening([pid])).toEqual(new Map([[pid, []]]));
    clock = 5000;
    expect(await reader.listening([pid])).toEqual(new Map([[pid, [first]]]));
    fs.writeFileSync(`${base}.go2`, '');
    const { port: second } = await stage(base, '.second');
    expect(await reader.listening([pid])).toEqual(new Map([[pid, [first, second].toSorted((a, b) => a - b)]]));
  });
});

