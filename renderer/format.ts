import { formatAge } from '../common/i18n/age.js';

/** A short age with a space between its units: `42s`, `5m 12s`, `2h 03m`, `3d 04h`. */
export const age = (ms: number): string => formatAge(ms, ' ');

/** Megabytes with one decimal. */
export function megabytes(bytes: number, unit: string): string {
  return `${(bytes / 1048576).toFixed(1)} ${unit}`;
}

/** CPU % with one decimal. */
export function percent(cpu: number): string {
  return `${cpu.toFixed(1)} %`;
}

/** Element by id, typed; throws when the page lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the popover`);
  return found as T;
}

/** A new element with a class and text (never HTML: commands are shown as text). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}
