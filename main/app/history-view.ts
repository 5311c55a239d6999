import type { History, Series } from '../engine/monitor/history.js';
import type { BbiaProcess } from '../engine/scan/scan.js';
import type { HistoryView, SeriesView } from '../../common/contract.js';

/** The last `n` values of a series, NaN as null (JSON and structured clone both keep null). */
function tail(values: readonly number[], n: number): (number | null)[] {
  return values.slice(-n).map((v) => (Number.isNaN(v) ? null : Math.round(v * 10) / 10));
}

/** A series cut to its last `n` samples. */
export function seriesView(series: Series, n: number): SeriesView {
  return { cpu: tail(series.cpu, n), memMB: tail(series.rssMB, n) };
}

/** Several aligned series summed sample by sample (a sample with no value in any of them stays empty). */
export function sumSeries(all: readonly Series[]): Series | undefined {
  if (all.length === 0) return undefined;
  const length = Math.max(...all.map((s) => s.cpu.length));
  const add = (pick: (s: Series) => number[]) =>
    Array.from({ length }, (_, i) => {
      const present = all.map((s) => pick(s)[pick(s).length - length + i]).filter((v): v is number => v !== undefined && !Number.isNaN(v));
      return present.length === 0 ? Number.NaN : present.reduce((a, b) => a + b, 0);
    });
  return { cpu: add((s) => s.cpu), rssMB: add((s) => s.rssMB) };
}

/**
 * The history the popover draws, bounded: at most `samples` values per series, for the machine, the
 * instance's tree and the processes of the last scan only (the History keeps at most 256 of them).
 */
export function historyView(history: History, processes: readonly BbiaProcess[], samples: number, intervalMs: number): HistoryView {
  const n = Math.max(2, Math.min(samples, history.capacity));
  const rows: HistoryView['processes'] = [];
  const tree: Series[] = [];
  for (const p of processes) {
    const id = `${p.pid}:${p.startKey}`;
    const series = history.series(id);
    if (!series) continue;
    rows.push({ id, ...seriesView(series, n) });
    if (p.locked) tree.push(series);
  }
  const instance = sumSeries(tree);
  return { intervalMs, machine: seriesView(history.machine(), n), instance: instance ? seriesView(instance, n) : null, processes: rows };
}
