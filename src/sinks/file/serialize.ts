import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';

/** JSON Lines; Dates become ISO 8601 UTC strings (JSON.stringify's rule). */
export function toJsonLines(rows: Row[]): string {
  let out = '';
  for (const row of rows) out += `${JSON.stringify(row, bigintAsNumber)}\n`;
  return out;
}

function bigintAsNumber(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** CSV in schema column order; fields with separators, quotes or line breaks are quoted, quotes doubled. */
export function toCsv(rows: Row[], schema: Schema, header: boolean): string {
  const names = schema.map((c) => c.name);
  const lines = header ? [names.map(csvField).join(',')] : [];
  for (const row of rows) lines.push(names.map((n) => csvField(csvValue(row[n]))).join(','));
  return `${lines.join('\n')}\n`;
}

function csvValue(value: Value | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
