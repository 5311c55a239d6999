import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../main/cli/main.js';
import { BbiaError } from '../main/engine/errors.js';
import { cli, sandbox } from './helpers.js';

const word = fc.oneof(
  fc.constantFrom('status', 'start', 'stop', 'kill-all', 'cleanup', 'logs', 'config', '--watch', '-f', '-n', '--json', '--force', '--detach', '--timeout', '--project', '--duration',
    'headless', 'graphical', 'test', '-', '--', '-h', '=', '--timeout=', '--force=1', 'NaN', '-1', '0', '1e309', '__proto__', 'constructor'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => `--${s}`),
);

describe('CLI fuzzing', () => {
  it('parses any argument list into a command or a one-line usage error (exit 2), never anything else', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (argv) => {
        try {
          const parsed = parseCommand(argv);
          expect(['status', 'start', 'stop', 'kill-all', 'cleanup', 'logs', 'config']).toContain(parsed.command);
        } catch (error) {
          expect(error).toBeInstanceOf(BbiaError);
          expect((error as BbiaError).exitCode).toBe(2);
          expect((error as BbiaError).message).not.toContain('\n');
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('answers random invalid argument lists with exit 2 and one error line plus one hint, through the real binary', async () => {
    const invalid = fc.sample(fc.array(word, { minLength: 1, maxLength: 5 }), 400).filter((argv) => {
      if (argv.some((a) => a.includes('\0'))) return false; // argv cannot carry NUL
      if (argv.includes('--help') || argv.includes('-h') || argv[0] === '--version') return false;
      try {
        parseCommand(argv);
        return false;
      } catch {
        return true;
      }
    });
    const { home } = sandbox();
    for (const argv of invalid.slice(0, 25)) {
      const r = await cli(home, argv);
      expect(r.code, argv.join(' ')).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(2);
      expect(lines[0]).toMatch(/^Error: /);
      expect(lines[1]).toMatch(/^ {2}-> /);
    }
  });
});
