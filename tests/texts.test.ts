import { describe, expect, it } from 'vitest';
import { BbiaError } from '../main/engine/errors.js';
import { engineText } from '../common/i18n/engine-text.js';
import { ERRORS } from '../common/i18n/error-texts.js';

/** Errors always given their hint by the caller: the command line's grammar, whose hint is the usage line. */
const USAGE_ERRORS = new Set(['usage', 'unknownOption', 'optionNoValue', 'optionNeedsValue', 'optionNeedsNumber', 'optionNeedsText', 'unexpectedArgument', 'unknownMode', 'unknownConfigAction', 'pidBad']);

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the texts of errors and notices', () => {
  it('French says what English says: same keys, same placeholders', () => {
    for (const [key, text] of Object.entries(ERRORS.en)) {
      expect(placeholders(ERRORS.fr[key as keyof typeof ERRORS.fr]), key).toEqual(placeholders(text));
    }
  });
  it('every error has its hint (what to do next), unless its caller always gives one', () => {
    for (const key of Object.keys(ERRORS.en).filter((k) => !k.endsWith('Hint') && !USAGE_ERRORS.has(k))) {
      expect(Object.hasOwn(ERRORS.en, `${key}Hint`), key).toBe(true);
    }
  });
  it('a keyed error keeps English in message and hint, and renders in French from its key', () => {
    const e = BbiaError.of('projectDirMissing', { dir: '/x' });
    expect([e.message, e.hint]).toEqual(['the project folder /x does not exist', 'pass an existing folder with --project DIR']);
    expect(engineText('fr', e.text!)).toBe('le dossier de projet /x n’existe pas');
    expect(engineText('fr', e.hintText!)).toBe('passez un dossier existant avec --project DOSSIER');
  });
});
