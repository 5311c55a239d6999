/** The languages of bbia-safe, the command line and the app alike. */
export type Lang = 'en' | 'fr';

/** French when a locale name is French (`fr`, `fr_FR.UTF-8`, `fr-CA`), else English. */
export function langOf(locale: string): Lang {
  return /^fr\b|^fr_/i.test(locale) ? 'fr' : 'en';
}

/** Fills `{name}` placeholders from `vars`; a placeholder without a value becomes `missing(name)` (by default it stays as written). */
export function fillPlaceholders(
  template: string,
  vars: Record<string, string | number>,
  missing: (name: string) => string = (name) => `{${name}}`,
): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (vars[name] === undefined ? missing(name) : String(vars[name])));
}

/** A translator bound to one language: `{name}` placeholders are filled from `vars`. */
export type Translator<K extends string> = (key: K, vars?: Record<string, string | number>) => string;

/** The translator of `lang` over one message table per language (the command line's, the app's, the popover's). */
export function translatorOf<K extends string>(
  tables: Record<Lang, Record<K, string>>,
  lang: Lang,
  missing?: (name: string) => string,
): Translator<K> {
  const table = tables[lang];
  return (key, vars = {}) => fillPlaceholders(table[key], vars, missing);
}
