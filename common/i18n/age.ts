/**
 * A short age, the same on every screen: `42s`, `5m12s`, `2h03m`, `3d04h`; the popover puts a space
 * between the two units (`5m 12s`). Pure, for the CLI, the app and the renderer alike.
 */
export function formatAge(ms: number, separator = ''): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${separator}${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${separator}${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${separator}${two(Math.floor((s % 86400) / 3600))}h`;
}
