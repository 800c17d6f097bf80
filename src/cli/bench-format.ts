/** Number formats shared by the bench's progress lines, summary table and compare output. */

export { percentile } from '../benchmark/measure/summary.js';

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 -> `1,234,567`. */
export function count(n: number): string {
  return whole.format(n);
}

/** Three significant digits, enough to compare and short enough for a table: 0.0123, 1.23, 12.3, 1,234. */
export function short(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return count(n);
  return Number(n.toPrecision(3)).toString();
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${short(value)} ${units[unit]}`;
}

/** Seconds left as `1m05s` or `42s`. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Rows of cells as aligned text columns (numbers right-aligned where `right[i]`). */
export function table(header: string[], rows: string[][], right: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
