import fs from 'node:fs';

/** At most this many words are joined back into one path (a folder name with spaces in it). */
const MAX_JOIN = 8;

/**
 * The argument vector of a command line as `ps` prints it (arguments joined by spaces, on macOS): split on
 * spaces, then words that together name an existing absolute path are joined back, so that
 * `/Users/me/Mes Projets/bbia/.venv/bin/python3 /Users/me/Mes Projets/bbia/scripts/x.py` keeps its two paths.
 * Read once per command line; a relative path with a space cannot be told from two arguments.
 */
export function splitCommand(command: string, exists: (file: string) => boolean = fs.existsSync): string[] {
  const words = command.split(' ');
  if (!command.includes('/')) return words;
  const argv: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let word = words[i]!;
    if (word.startsWith('/') && !exists(word)) {
      // The shortest longer run of words that is an existing path, if any
      for (let j = i + 1; j < words.length && j - i < MAX_JOIN; j++) {
        const joined = words.slice(i, j + 1).join(' ');
        if (exists(joined)) {
          word = joined;
          i = j;
          break;
        }
      }
    }
    argv.push(word);
  }
  return argv;
}
