// Figures and tables: medians, percentiles, ratios, and the blocks each benchmark prints.

/** The q-quantile (0..1) of a list, by linear interpolation; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  const v = values.filter((x) => Number.isFinite(x)).toSorted((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}

/** The median of a list. */
export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** The 90th percentile of a list. */
export const p90 = (values: readonly number[]): number => quantile(values, 0.9);

/** A number with a sensible count of decimals for a table; '-' when not a number. */
export function fmt(x: number | undefined, decimals?: number): string {
  if (x === undefined || !Number.isFinite(x)) return '-';
  const d = decimals ?? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : Math.abs(x) >= 1 ? 2 : 3);
  return x.toFixed(d);
}

/** `a / b` as `12.3x`; '-' when either is missing or b is zero. */
export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '-';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}x`;
}

/** "median (p90)" of a list, for one table cell. */
export function medP90(values: readonly number[], decimals?: number): string {
  if (values.length === 0) return '-';
  return `${fmt(median(values), decimals)} (${fmt(p90(values), decimals)})`;
}

/** A plain-text table with aligned columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A markdown table. */
export function markdown(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string) => s.replaceAll('|', '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** One line of the final summary: what was measured, bbia-safe's figure, the baseline's, their ratio, the target. */
export interface SummaryRow {
  /** What was measured. */
  metric: string;
  /** bbia-safe's figure, with its unit. */
  ours: string;
  /** The baseline measured in the same run, named. */
  baseline: string;
  /** Baseline / ours (how many times cheaper or faster), or a note. */
  ratio: string;
  /** The target and whether this run met it. */
  target: string;
}

/** Prints one benchmark's block: a title line, the table, then notes. */
export function block(title: string, body: string, notes: readonly string[] = []): void {
  const bar = '='.repeat(Math.max(20, title.length + 4));
  console.log(`\n${bar}\n  ${title}\n${bar}\n${body}`);
  for (const n of notes) console.log(`  * ${n}`);
}

/** "met" / "missed" against a bound (lower is better). */
export function verdict(value: number | undefined, bound: number): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return value <= bound ? 'met' : 'MISSED';
}
