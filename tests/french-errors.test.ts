import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { assertNoForeignRobot, cli, pidfilePid, sandbox, tempDir } from './helpers.js';

beforeEach(() => assertNoForeignRobot());

const FR = { LANG: 'fr_FR.UTF-8' };

/**
 * Words of English sentences that French ones never hold. The usage lines and file paths that an error
 * quotes are left out before the check: commands and options are not translated.
 */
const ENGLISH = /\b(the|is|not|no|was|has|does|could|cannot|found|exist|already|running|folder|unknown|needs|takes|unexpected|run it|first|must|there|yet|option --\w+ needs|settings?)\b/i;

/** stderr without what is quoted as is: usage lines, paths, quoted values, setting keys in their JSON. */
function prose(stderr: string): string {
  return stderr
    .replace(/usage : .*/g, '')
    .replace(/bbia-safe [a-z-]+(?: [^\s,;)]+)*/g, '')
    .replace(/(?:\/[\w.@-]+)+/g, '')
    .replace(/'[^']*'/g, '')
    // Setting keys as the schema names them (settings.stopTimeout)
    .replace(/\bsettings(\.\w+|\[\d+\])+/g, '');
}

describe('in French every message is French', () => {
  const cases: [string, string[], (home: string, project: string) => void][] = [
    ['unknown command', ['frobnicate'], () => {}],
    ['unknown option', ['stop', '--bogus'], () => {}],
    ['an option without its value', ['start', '--project'], () => {}],
    ['a bad number', ['stop', '--timeout', 'soon'], () => {}],
    ['a flag given a value', ['kill-all', '--force=1'], () => {}],
    ['an extra argument', ['status', 'extra'], () => {}],
    ['an unknown mode', ['start', 'turbo'], () => {}],
    ['no project folder', ['start'], () => {}],
    ['a project folder that does not exist', ['start', '--project', '/nonexistent/bbia'], () => {}],
    ['a folder without the launcher', ['start', '--project', '.'], () => {}],
    ['an unknown setting', ['config', 'set', 'nope', '1'], () => {}],
    ['an unknown config action', ['config', 'frob'], () => {}],
    ['a setting out of range', ['config', 'set', 'stopTimeout', '0'], () => {}],
    ['a setting of the wrong type', ['config', 'set', 'stopTimeout', 'abc'], () => {}],
    ['a setting that takes JSON', ['config', 'set', 'extraRules', '{'], () => {}],
    ['robotArgs that do not parse', ['config', 'set', 'robotArgs', '"open'], () => {}],
    ['no robot log yet', ['logs'], () => {}],
    ['stop --pid on a PID that is no BBIA process', ['stop', '--pid', '4194304'], () => {}],
    ['stop --pid without a process ID', ['stop', '--pid', 'x'], () => {}],
    [
      'an unusable settings file',
      ['status'],
      (home) => {
        fs.mkdirSync(path.join(home, '.config', 'bbia-safe'), { recursive: true });
        fs.writeFileSync(path.join(home, '.config', 'bbia-safe', 'settings.json'), '{"stopTimeout": -3}');
      },
    ],
  ];
  for (const [what, args, prepare] of cases) {
    it(`${what}: bbia-safe ${args.join(' ')}`, async () => {
      const { home, project } = sandbox();
      prepare(home, project);
      const r = await cli(home, args, { env: FR, cwd: what === 'a folder without the launcher' ? tempDir() : home });
      expect(r.stderr).not.toBe('');
      expect(r.stderr).not.toMatch(/^(Error|Warning): /m);
      expect(prose(r.stderr)).not.toMatch(ENGLISH);
    });
  }

  it('a refused start (an instance runs) and a robot that dies as it starts', async () => {
    const { home, project } = sandbox();
    expect((await cli(home, ['start', 'headless', '--detach'], { cwd: project })).code).toBe(0);
    pidfilePid(home);
    const refused = await cli(home, ['start', 'headless'], { cwd: project, env: FR });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('Erreur : une instance tourne déjà');
    expect(prose(refused.stderr)).not.toMatch(ENGLISH);
    expect((await cli(home, ['stop', '--force'])).code).toBe(0);
    fs.writeFileSync(path.join(project, 'scripts', 'launch_complete_robot.py'), 'import sys\nprint("boom", flush=True)\nsys.exit(9)\n');
    const died = await cli(home, ['start', 'headless', '--detach'], { cwd: project, env: FR });
    expect(died.code).toBe(1);
    expect(died.stderr).toContain('Erreur : le robot s’est arrêté juste après son lancement (code de sortie 9)');
    expect(prose(died.stderr.replace(/\| .*/g, ''))).not.toMatch(ENGLISH);
  });
});
