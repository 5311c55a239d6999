/** Small sparklines in inline SVG (no library): an area and a line, scaled to the box, gaps left empty. */
const SVG = 'http://www.w3.org/2000/svg';
const W = 100;
const H = 24;

/** A new sparkline element of a measure (`cpu` or `ram`, tinted by CSS as `.spark-cpu`, `.spark-ram`) with its area and line paths. */
export function sparkSvg(measure: 'cpu' | 'ram'): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', `spark spark-${measure}`);
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  for (const part of ['area', 'line']) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('class', part);
    path.setAttribute('vector-effect', 'non-scaling-stroke');
    svg.append(path);
  }
  return svg;
}

/** The path data of `values` (oldest first, null for no sample) in the box, scaled to `max`: [area, line]. */
export function sparkPaths(values: readonly (number | null)[], max: number): [string, string] {
  const n = values.length;
  const x = (i: number) => (n <= 1 ? W : (i / (n - 1)) * W).toFixed(2);
  const y = (v: number) => (H - 1 - (Math.min(Math.max(v, 0), max) / max) * (H - 2)).toFixed(2);
  let line = '';
  let area = '';
  let runStart = -1;
  const close = (end: number) => {
    if (runStart >= 0) area += `L${x(end)},${H}L${x(runStart)},${H}Z`;
    runStart = -1;
  };
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return close(i - 1);
    const point = `${x(i)},${y(v)}`;
    if (runStart < 0) {
      runStart = i;
      line += `M${point}`;
      area += `M${point}`;
    } else {
      line += `L${point}`;
      area += `L${point}`;
    }
  });
  close(n - 1);
  return [area, line];
}

/** Draws `values` into a sparkline; `floor` is the smallest top of the scale (100 for CPU %). `data-points` counts the samples drawn. */
export function drawSpark(svg: SVGSVGElement, values: readonly (number | null)[], floor: number): void {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const max = Math.max(floor, ...present) * (present.some((v) => v > floor) ? 1.1 : 1);
  const [area, line] = sparkPaths(values, max);
  svg.querySelector('.area')?.setAttribute('d', area);
  svg.querySelector('.line')?.setAttribute('d', line);
  svg.dataset.points = String(present.length);
}

/** The values from a process's first sample on: a row's sparkline spans that process's own life, not the whole window. */
export function ownSpan(values: readonly (number | null)[]): (number | null)[] {
  const first = values.findIndex((v) => v !== null);
  return first < 0 ? [] : values.slice(first);
}
