/**
 * Escaping and number formatting for the page. Every string that comes from results (target names, messages,
 * options) comes from a config file: it goes through escapeHtml before it touches the page.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** JSON for a `<script type="application/json">`: no `<` can close the element early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** 3 significant digits, thousands separated: 182,000 / 61.2 / 0.734 */
export function num(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 1000) return int(n);
  return Number(n.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${num(value)} ${units[unit]}`;
}

export const percent = (ratio: number | null): string => (ratio === null ? '–' : `${Math.round(ratio * 100)}%`);
