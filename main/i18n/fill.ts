/** Fills `{name}` placeholders from `vars`; a placeholder without a value becomes `missing(name)` (by default it stays as written). */
export function fillPlaceholders(
  template: string,
  vars: Record<string, string | number>,
  missing: (name: string) => string = (name) => `{${name}}`,
): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (vars[name] === undefined ? missing(name) : String(vars[name])));
}
