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
