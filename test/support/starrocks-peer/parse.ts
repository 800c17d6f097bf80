/**
 * A Stream Load body as the BE reads it, per the request's headers:
 * - `format: json` (default csv): with `strip_outer_array: true` the body is an array of row objects, without it one
 *   object; keys are matched to the loaded columns by name.
 * - `format: csv`: one row per `row_delimiter` (default \n), fields split by `column_separator` (default \t, hex
 *   escapes like \x01 allowed), `\N` is NULL; a line with the wrong number of fields is filtered.
 * - `columns: a,b,c`: the loaded columns (csv: in field order); default: every table column in table order.
 * Errors of the whole body (bad JSON, unknown column) fail the load; errors of a row filter that row.
 */
import mysql from 'mysql2';
import { convertForColumn } from './convert.js';
import type { TableColumn } from './store.js';

export interface ParsedBody {
  columns: string[];
  rows: unknown[][];
  /** One line per filtered row: why, and the row. */
  filtered: string[];
  total: number;
}

export class BodyError extends Error {}

const unescapeSeparator = (value: string): string =>
  value
    .replace(/\\x([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\t/g, '\t')
    .replace(/\\n/g, '\n');

export function parseBody(
  body: Buffer,
  headers: Record<string, string | string[] | undefined>,
  table: TableColumn[],
  tableName: string,
): ParsedBody {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const format = (header('format') ?? 'csv').toLowerCase();
  if (format !== 'csv' && format !== 'json') throw new BodyError(`unknown data format, format=${header('format')}`);
  const strict = (header('strict_mode') ?? 'false').toLowerCase() === 'true';
  const requested = header('columns');
  if (requested && /[=()]/.test(requested))
    throw new BodyError('column expressions in the columns header are not implemented by the StarRocks test peer');
  const names = requested ? requested.split(',').map((c) => c.trim().replace(/^`|`$/g, '')) : table.map((c) => c.name);
  const byName = new Map(table.map((c) => [c.name.toLowerCase(), c]));
  const loaded = names.map((name) => {
    const column = byName.get(name.toLowerCase());
    if (!column) throw new BodyError(`Unknown column '${name}' in '${tableName}'`);
    return column;
  });

  const out: ParsedBody = { columns: loaded.map((c) => c.name), rows: [], filtered: [], total: 0 };
  const addRow = (values: Array<{ raw: unknown; present: boolean }>, original: string) => {
    out.total++;
    const row: unknown[] = [];
    for (let i = 0; i < loaded.length; i++) {
      const converted = convertForColumn(values[i].raw, values[i].present, loaded[i], strict);
      if (!converted.ok) {
        out.filtered.push(`Error: ${converted.reason}. Row: ${original}`);
        return;
      }
      row.push(converted.value === undefined ? mysql.raw('DEFAULT') : converted.value);
    }
    out.rows.push(row);
  };

  const text = body.toString('utf8');
  if (format === 'json') {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new BodyError(`Failed to parse json data: ${(error as Error).message}`);
    }
    const strip = (header('strip_outer_array') ?? 'false').toLowerCase() === 'true';
    if (Array.isArray(document) && !strip) throw new BodyError('JSON data is an array, strip_outer_array must be set true');
    const items = strip ? (Array.isArray(document) ? document : [document]) : [document];
    for (const item of items) {
      const original = JSON.stringify(item);
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        out.total++;
        out.filtered.push(`Error: the row is not a JSON object. Row: ${original}`);
        continue;
      }
      const lower = new Map(Object.entries(item).map(([k, v]) => [k.toLowerCase(), v]));
      addRow(
        loaded.map((c) => ({ raw: lower.get(c.name.toLowerCase()), present: lower.has(c.name.toLowerCase()) })),
        original,
      );
    }
  } else {
    const separator = unescapeSeparator(header('column_separator') ?? '\t');
    const delimiter = unescapeSeparator(header('row_delimiter') ?? '\n');
    const lines = text.split(delimiter);
    if (lines.at(-1) === '') lines.pop();
    for (const line of lines) {
      const fields = line.split(separator);
      if (fields.length !== loaded.length) {
        out.total++;
        out.filtered.push(
          `Error: Value count does not match column count. Expect ${loaded.length}, but got ${fields.length}. Row: ${line}`,
        );
        continue;
      }
      addRow(
        fields.map((f) => ({ raw: f === '\\N' ? null : f, present: true })),
        line,
      );
    }
  }
  return out;
}
