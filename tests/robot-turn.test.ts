import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../main/engine/wait.js';
import { tempDir, track } from './helpers.js';

const TURN = path.resolve(import.meta.dirname, '..', 'scripts', 'robot-turn.mjs');

/** A command that marks that it runs, then waits for `go` and exits with `code`. */
function holder(dir: string, name: string, code: number): string[] {
  const script = `
    const fs = require('node:fs'), path = require('node:path');
    fs.writeFileSync(path.join(${JSON.stringify(dir)}, ${JSON.stringify(`${name}-running`)}), '');
    const go = path.join(${JSON.stringify(dir)}, ${JSON.stringify(`${name}-go`)});
    setInterval(() => { if (fs.existsSync(go)) process.exit(${code}); }, 20);`;
  return [process.execPath, '-e', script];
}

describe('the machine-wide robot turn of npm test and the benchmarks', () => {
  it('makes a second run wait until the first ends, and passes on each command exit code', async () => {
    const dir = tempDir();
    // os.tmpdir() follows TMPDIR: this turn is the test's own, not the one this npm test holds
    const env = { ...process.env, TMPDIR: dir };
    const first = execa(process.execPath, [TURN, ...holder(dir, 'first', 7)], { env, reject: false });
    track(first.pid!);
    expect(await waitFor(() => fs.existsSync(path.join(dir, 'first-running')), 10_000)).toBe(true);

    const second = execa(process.execPath, [TURN, ...holder(dir, 'second', 0)], { env, reject: false });
    track(second.pid!);
    let stderr = '';
    second.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await waitFor(() => stderr.includes('waiting for its turn to end'), 10_000)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'second-running'))).toBe(false);

    fs.writeFileSync(path.join(dir, 'first-go'), '');
    expect((await first).exitCode).toBe(7);
    expect(await waitFor(() => fs.existsSync(path.join(dir, 'second-running')), 10_000)).toBe(true);
    fs.writeFileSync(path.join(dir, 'second-go'), '');
    expect((await second).exitCode).toBe(0);
    expect(fs.existsSync(path.join(dir, 'bbia-safe-robot-turn.lock'))).toBe(false);
  });

  it('lets a run inside a run share the turn instead of waiting on itself', async () => {
    const dir = tempDir();
    const env = { ...process.env, TMPDIR: dir };
    const script = `process.exit(fs.existsSync(${JSON.stringify(path.join(dir, 'bbia-safe-robot-turn.lock'))}) ? 5 : 6)`;
    const nested = await execa(process.execPath, [TURN, process.execPath, TURN, process.execPath, '-e', script], { env, reject: false, timeout: 20_000 });
    // 5: the inner command ran while the outer run held the turn; a wait on itself would time out instead
    expect(nested.exitCode).toBe(5);
    expect(nested.stderr).not.toContain('waiting');
    expect(fs.existsSync(path.join(dir, 'bbia-safe-robot-turn.lock'))).toBe(false);
  });

  it('says how to use it without a command, and what failed for a command that does not exist', async () => {
    const dir = tempDir();
    const env = { ...process.env, TMPDIR: dir };
    const bare = await execa(process.execPath, [TURN], { env, reject: false });
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr).toContain('usage: node scripts/robot-turn.mjs COMMAND');
    const missing = await execa(process.execPath, [TURN, path.join(dir, 'no-such-command')], { env, reject: false });
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toContain('cannot run');
    expect(fs.existsSync(path.join(dir, 'bbia-safe-robot-turn.lock'))).toBe(false);
  });
});
