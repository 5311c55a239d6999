import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../main/cli/args.js';
import { startSpec } from '../main/cli/commands/start.js';
import { isTimedRun } from '../main/engine/supervise/last-exit.js';
import { robotArgs } from '../main/engine/supervise/launch.js';
import { runHeader, tailRun } from '../main/engine/supervise/log-file.js';
import { formatRobotArgs, parseRobotArgs } from '../main/engine/settings/robot-args.js';
import { tempDir } from './helpers.js';

describe('start -- ARGS on the command line', () => {
  it('keeps what follows -- apart and untouched, options and all', () => {
    expect(parseArgs(['test', '--detach', '--', '--model', 'reachy_mini.xml', '--', '-h'], startSpec)).toEqual({
      options: { detach: true },
      positional: ['test'],
      rest: ['--model', 'reachy_mini.xml', '--', '-h'],
    });
    expect(parseArgs(['test'], startSpec).rest).toBeUndefined();
  });
  it('puts them after the mode\'s flags and --duration', () => {
    expect(robotArgs('test', undefined, ['--model', 'm.xml'])).toEqual(['scripts/launch_complete_robot.py', '--headless', '--duration', '2', '--model', 'm.xml']);
    expect(robotArgs('headless', 30, ['-v'])).toEqual(['scripts/launch_complete_robot.py', '--headless', '--duration', '30', '-v']);
  });
});

describe('the robotArgs setting as one line of text', () => {
  const cases: [string, string[]][] = [
    ['', []],
    ['--model reachy_mini.xml', ['--model', 'reachy_mini.xml']],
    ["  --name 'my robot'  -v ", ['--name', 'my robot', '-v']],
    ['--name "a \\"quoted\\" b"', ['--name', 'a "quoted" b']],
    ['a\\ b', ['a b']],
    ["''", ['']],
    ['["--model", "x y.xml"]', ['--model', 'x y.xml']],
  ];
  it.each(cases)('reads %j', (text, args) => expect(parseRobotArgs(text)).toEqual({ args }));
  it('refuses what it cannot read, saying why in both languages', () => {
    expect(parseRobotArgs("'open")).toEqual({ problem: { en: "a ' quote is not closed", fr: 'un guillemet \' n’est pas fermé' } });
    expect(parseRobotArgs('[1]')).toMatchObject({ problem: { en: 'every argument must be a string' } });
    expect(parseRobotArgs('[oops')).toMatchObject({ problem: { en: 'not a valid JSON list' } });
    expect(parseRobotArgs(Array.from({ length: 65 }, () => 'a').join(' '))).toMatchObject({ problem: { en: 'at most 64 arguments' } });
  });
  it('shows a list as a line that reads back to the same list', () => {
    for (const args of [[], ['--model', 'reachy_mini.xml'], ['my robot', "it's", '', '$HOME', 'a"b']]) {
      expect(parseRobotArgs(formatRobotArgs(args))).toEqual({ args });
    }
    expect(formatRobotArgs(['--model', 'reachy_mini.xml'])).toBe('--model reachy_mini.xml');
  });
});

describe('the end of a run', () => {
  it('the last lines of the robot log are the latest run\'s only', () => {
    const file = path.join(tempDir(), 'robot.log');
    fs.writeFileSync(file, `${runHeader(new Date(), 'python3 a', '/p')}\nold 1\nold 2\n${runHeader(new Date(), 'python3 b', '/p')}\nnew 1\n\nnew 2\n`);
    expect(tailRun(file, 10)).toEqual(['new 1', 'new 2']);
    expect(tailRun(file, 1)).toEqual(['new 2']);
    fs.writeFileSync(file, `${runHeader(new Date(), 'python3 b', '/p')}\n`);
    expect(tailRun(file, 10)).toEqual([]);
    // Capped while it ran (copytruncate): no header left, every line is the run's
    fs.writeFileSync(file, 'late 1\nlate 2\n');
    expect(tailRun(file, 10)).toEqual(['late 1', 'late 2']);
  });
  it('a timed run is the test mode or any run given --duration', () => {
    expect(isTimedRun({ mode: 'test', command: 'python3 scripts/launch_complete_robot.py --headless --duration 2' })).toBe(true);
    expect(isTimedRun({ mode: 'headless', command: 'python3 scripts/launch_complete_robot.py --headless --duration 5' })).toBe(true);
    expect(isTimedRun({ mode: 'headless', command: 'python3 scripts/launch_complete_robot.py --headless --duration=5' })).toBe(true);
    expect(isTimedRun({ mode: 'headless', command: 'python3 scripts/launch_complete_robot.py --headless' })).toBe(false);
    expect(isTimedRun({ mode: 'graphical', command: 'python3 scripts/launch_complete_robot.py --model my--duration.xml' })).toBe(false);
  });
});
