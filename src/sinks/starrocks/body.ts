import type { Row, Value } from '../../core/row.js';
import type { ColumnBinding } from '../../connectors/mysql/columns.js';
import { UnfitRowError } from '../../connectors/mysql/statements.js';
import { UnfitValueError, jsonText } from '../../connectors/mysql/values.js';

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** `2026-01-01 00:00:00.050` in UTC: the form StarRocks parses into DATETIME (ISO's `T` and `Z` are not accepted). */
export function datetimeText(date: Date, column: string): string {
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year <= 9999))
    throw new UnfitValueError(column, date, Number.isNaN(year) ? 'an invalid Date' : `year ${year} is outside DATETIME's range`);
  return `${String(year).padStart(4, '0')}-${TWO[date.getUTCMonth() + 1]}-${TWO[date.getUTCDate()]} ${TWO[date.getUTCHours()]}:${TWO[date.getUTCMinutes()]}:${TWO[date.getUTCSeconds()]}.${THREE[date.getUTCMilliseconds()]}`;
}

const finite = (value: number, column: string): string => {
  if (!Number.isFinite(value)) throw new UnfitValueError(column, value, `${value} has no StarRocks value`);
  return String(value);
};

/** One value as JSON text. bigints are written as bare digits (valid JSON, read exactly into BIGINT/LARGEINT). */
function jsonValue(value: Value | undefined, column: string): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'number':
      return finite(value, column);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    default:
      return value instanceof Date ? `"${datetimeText(value, column)}"` : jsonText(value);
  }
}

/** One value as a CSV field: tab-separated, `\N` for null, as StarRocks' default CSV format reads it. */
function csvValue(value: Value | undefined, column: string): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'number':
      return finite(value, column);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      // StarRocks' default CSV has no quoting: a tab or line break would split the row, and `\N` would read as null.
      if (/[\t\n\r]/.test(value) || value === '\\N')
        throw new UnfitValueError(column, value, 'csv cannot carry tabs, line breaks or the text \\N; use format: json');
      return value;
    default:
      return value instanceof Date ? datetimeText(value, column) : jsonText(value);
  }
}

/**
 * The batch as Stream Load bodies of at most about `maxBytes` each: json is `[{"col":...},...]` (sent with
 * strip_outer_array), csv is one line per row. Deterministic, so a replay splits the batch into the same parts, which
 * carry the same labels.
 */
export function encodeBodies(rows: readonly Row[], columns: readonly ColumnBinding[], format: 'json' | 'csv', maxBytes: number): Buffer[] {
  const keys = columns.map((c) => `${JSON.stringify(c.table)}:`);
  const bodies: Buffer[] = [];
  let parts: string[] = [];
  let bytes = 2;
  const flush = () => {
    bodies.push(Buffer.from(format === 'json' ? `[${parts.join(',')}]` : `${parts.join('\n')}\n`));
    parts = [];
    bytes = 2;
  };
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    let text: string;
    try {
      if (format === 'json') {
        text = '{';
        for (let c = 0; c < columns.length; c++) text += (c ? ',' : '') + keys[c] + jsonValue(row[columns[c].source], columns[c].table);
        text += '}';
      } else {
        text = columns.map((c) => csvValue(row[c.source], c.table)).join('\t');
      }
    } catch (error) {
      if (error instanceof UnfitValueError) throw new UnfitRowError(error, r);
      throw error;
    }
    const size = Buffer.byteLength(text) + 1;
    if (parts.length > 0 && bytes + size > maxBytes) flush();
    parts.push(text);
    bytes += size;
  }
  if (parts.length > 0) flush();
  return bodies;
}
