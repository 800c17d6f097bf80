import type { Row, Value } from '../../core/row.js';
import type { ColumnType, Schema } from '../../core/schema.js';

/** Spark's rendering of one cell: timestamps as `yyyy-MM-dd HH:mm:ss[.SSS]` local time, doubles with a `.0`. */
export function formatCell(value: Value, type: ColumnType): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return formatTimestamp(value);
  if (typeof value === 'number') return type === 'double' && Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (Array.isArray(value)) return `[${value.map((v) => formatCell(v, 'any')).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.values(value)
      .map((v) => formatCell(v, 'any'))
      .join(', ')}}`;
  return String(value);
}

function formatTimestamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  const ms = d.getMilliseconds();
  return ms === 0 ? base : `${base}.${p(ms, 3).replace(/0+$/, '')}`;
}

/**
 * Spark's `Dataset.showString`: a `+---+` framed table of the first `numRows` rows. With `truncate`, cells longer
 * than 20 characters are cut to 17 plus `...` and cells are right-aligned; without it they are left-aligned.
 */
export function formatTable(rows: Row[], schema: Schema, numRows: number, truncate: boolean): string {
  const shown = rows.slice(0, numRows);
  const cut = (s: string) => (truncate && s.length > 20 ? `${s.slice(0, 17)}...` : s);
  const header = schema.map((c) => cut(c.name));
  const cells = shown.map((row) => schema.map((c) => cut(formatCell(row[c.name], c.type))));
  const widths = header.map((h, i) => Math.max(3, h.length, ...cells.map((r) => r[i].length)));
  const pad = (s: string, w: number) => (truncate ? s.padStart(w) : s.padEnd(w));
  const line = `+${widths.map((w) => '-'.repeat(w)).join('+')}+`;
  const render = (r: string[]) => `|${r.map((s, i) => pad(s, widths[i])).join('|')}|`;
  const out = [line, render(header), line, ...cells.map(render), line];
  if (rows.length > numRows) out.push(`only showing top ${numRows} row${numRows === 1 ? '' : 's'}`);
  return `${out.join('\n')}\n`;
}
