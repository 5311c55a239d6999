/** Megabytes with one decimal, as the seed's status screen shows RAM (the command line, the app's dialogs). */
export function formatMB(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
