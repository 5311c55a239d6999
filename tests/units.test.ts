import { describe, expect, it } from 'vitest';
import { parseArgs } from '../main/cli/args.js';
import { formatAge } from '../common/i18n/age.js';
import { detectLang, isYes } from '../main/cli/i18n.js';
import { langOf } from '../common/i18n/fill.js';
import { parseCpuTime, parsePsLine } from '../main/engine/scan/proc/darwin.js';
import { parseStat } from '../main/engine/scan/proc/linux.js';
import { parsePidfile } from '../main/engine/lock/pidfile.js';
import { classify } from '../main/engine/scan/classify.js';
import { isBbiaSafe } from '../main/engine/scan/rules.js';
import { robotArgs } from '../main/engine/supervise/launch.js';

const kind = (cmd: string) => classify(1, cmd.split(' '), cmd, { projectRoots: ['/home/me/bbia'], cwdOf: () => undefined })?.kind;

describe('bbia-safe itself (the rest of detection: tests/classify.test.ts)', () => {
  it('never counts bbia-safe itself', () => {
    expect(isBbiaSafe(['node', '/x/node_modules/.bin/bbia-safe', 'kill-all'])).toBe(true);
    expect(isBbiaSafe(['/usr/bin/node', '/src/bin/bbia-safe.js', '__supervise', '{"projectDir":"/home/me/bbia_sim"}'])).toBe(true);
    expect(isBbiaSafe(['/usr/bin/python3', '-I', '-S', '-c', '#bbia-safe-supervisor\nimport os'])).toBe(true);
    // macOS's reader splits on spaces: an interpreter path with a space shifts the words
    expect(isBbiaSafe('/Library/App Support/python3 -I -S -c #bbia-safe-supervisor\nimport os'.split(' '))).toBe(true);
    expect(isBbiaSafe(['/usr/bin/python3', '-c', 'import os', '#bbia-safe-supervisor'])).toBe(false);
    expect(kind('node /src/bin/bbia-safe.js start --project /home/me/bbia_sim')).toBeUndefined();
  });
});

describe('the pidfile', () => {
  const record = { v: 1, pid: 42, startKey: '123', startedAt: '2026-01-01T00:00:00.000Z', command: 'python3 x', mode: 'headless', cwd: '/p', supervisorPid: 40, supervisorStartKey: '100', logFile: '/l' };
  it('keeps the PID alone on its first line and the identity after it', () => {
    const parsed = parsePidfile(`42\n${JSON.stringify(record)}\n`);
    expect(parsed.kind).toBe('ok');
  });
  it('never trusts a record that disagrees with its PID line, or misses a field', () => {
    expect(parsePidfile(`43\n${JSON.stringify(record)}\n`).kind).toBe('invalid');
    const { startKey: _drop, ...partial } = record;
    expect(parsePidfile(`42\n${JSON.stringify(partial)}\n`).kind).toBe('invalid');
    expect(parsePidfile('0\n').kind).toBe('invalid');
    expect(parsePidfile('99999999999\n').kind).toBe('invalid');
  });
});

describe('process readers', () => {
  it('parses /proc/<pid>/stat, command names with spaces and parentheses included', () => {
    const line = '4242 (evil) (name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 1000 12345678 300 18446744073709551615';
    const s = parseStat(4242, line, 100, 4096, 1_000_000)!;
    expect(s).toMatchObject({ pid: 4242, ppid: 1, pgid: 4242, sid: 4242, state: 'S', startKey: '1000', rss: 300 * 4096, cpuSeconds: 3 });
    expect(s.startedAt).toBe(1_000_000 + 10_000);
    // A negative field (tpgid -1) parses; a truncated or name-less line is refused
    expect(parseStat(7, '7 (a) R 1 7 7 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 55 0 9 0', 100, 4096, 0)).toMatchObject({ ppid: 1, startKey: '55', rss: 9 * 4096, cpuSeconds: 0.03, state: 'R' });
    expect(parseStat(7, '7 (a) R 1 7 7 0 -1 0 0 0', 100, 4096, 0)).toBeUndefined();
    expect(parseStat(7, '7 a R 1 7 7 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 55 0 9 0', 100, 4096, 0)).toBeUndefined();
    expect(parseStat(7, '7 (a) R 1 7 x 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 55 0 9 0', 100, 4096, 0)).toBeUndefined();
  });
  it('parses macOS ps lines (cputime and lstart)', () => {
    expect(parseCpuTime('1:02.50')).toBeCloseTo(62.5);
    expect(parseCpuTime('1-01:00:00')).toBe(86400 + 3600);
    const s = parsePsLine('  512   1   512   501  48000   0:12.34 Ss   Thu Nov 26 10:00:00 2026')!;
    expect(s).toMatchObject({ pid: 512, ppid: 1, pgid: 512, uid: 501, rss: 48000 * 1024, state: 'S' });
    expect(s.cpuSeconds).toBeCloseTo(12.34);
    // ps prints lstart in UTC (TZ=UTC0): read as UTC, whatever this process's zone
    expect(s.startedAt).toBe(Date.UTC(2026, 10, 26, 10, 0, 0));
  });
});

describe('the command line', () => {
  const spec = { options: { force: 'boolean', timeout: 'number', project: 'string' } as const, maxPositional: 1, usage: 'u' };
  it('parses options strictly', () => {
    expect(parseArgs(['--force', '--timeout', '2.5', 'x'], spec)).toEqual({ options: { force: true, timeout: 2.5 }, positional: ['x'] });
    expect(parseArgs(['--timeout=3'], spec).options.timeout).toBe(3);
    for (const bad of [['--nope'], ['--timeout'], ['--timeout', 'abc'], ['--timeout', '-1'], ['--force=yes'], ['a', 'b'], ['--project', '']]) {
      expect(() => parseArgs(bad, spec)).toThrow();
    }
  });
  it('builds the seed\'s flags for each mode', () => {
    expect(robotArgs('graphical')).toEqual(['scripts/launch_complete_robot.py']);
    expect(robotArgs('headless', 30)).toEqual(['scripts/launch_complete_robot.py', '--headless', '--duration', '30']);
    expect(robotArgs('test')).toEqual(['scripts/launch_complete_robot.py', '--headless', '--duration', '2']);
  });
  it('formats ages and reads the locale', () => {
    expect([formatAge(5_000), formatAge(312_000), formatAge(7_380_000), formatAge(100_000_000)]).toEqual(['5s', '5m12s', '2h03m', '1d03h']);
    // The popover's form: the same units, a space between them
    expect([formatAge(5_000, ' '), formatAge(312_000, ' '), formatAge(100_000_000, ' ')]).toEqual(['5s', '5m 12s', '1d 03h']);
    expect(detectLang({ LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(detectLang({ LANG: 'fr_FR.UTF-8', LC_ALL: 'en_US.UTF-8' })).toBe('en');
    expect(detectLang({})).toBe('en');
    // The app's locale names (app.getLocale()) go through the same test
    expect(['fr', 'fr-FR', 'fr-CA', 'FR_be', 'french', 'en-US', ''].map(langOf)).toEqual(['fr', 'fr', 'fr', 'fr', 'en', 'en', 'en']);
    expect(['y', 'YES', 'o', 'oui'].every(isYes) && !isYes('n') && !isYes('')).toBe(true);
  });
});

describe('the interpreter', () => {
  it('uses mjpython beside the configured Python for the graphical mode on macOS only', async () => {
    const { mkdtempSync, writeFileSync, chmodSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { resolveInterpreter } = await import('../main/engine/supervise/launch.js');
    const dir = mkdtempSync(join(tmpdir(), 'bbia-py-'));
    for (const name of ['python3', 'mjpython']) {
      writeFileSync(join(dir, name), '#!/bin/sh\n');
      chmodSync(join(dir, name), 0o755);
    }
    const python = join(dir, 'python3');
    expect(resolveInterpreter(python, 'graphical', 'darwin')).toBe(join(dir, 'mjpython'));
    expect(resolveInterpreter(python, 'headless', 'darwin')).toBe(python);
    expect(resolveInterpreter(python, 'graphical', 'linux')).toBe(python);
    expect(() => resolveInterpreter(join(dir, 'nope'), 'graphical', 'darwin')).toThrow(/was not found/);
  });
});
