import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';

/**
 * JSON Lines; Dates become ISO 8601 UTC strings (JSON.stringify's rule). JSON has no NaN or infinity (JSON.stringify
 * would write null): a row holding one, at any depth, is not written but handed to `unfit` with its index and the
 * top-level column it is in.
 */
export function toJsonLines(rows: Row[], unfit: (row: number, column: string, value: number) => void): string {
  let out = '';
  let nonFinite = false;
  const replacer = (_key: string, value: unknown): unknown => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && !Number.isFinite(value)) nonFinite = true;
    return value;
  };
  for (let r = 0; r < rows.length; r++) {
    nonFinite = false;
    const line = JSON.stringify(rows[r], replacer);
    if (!nonFinite) {
      out += `${line}\n`;
      continue;
    }
    for (const [column, value] of Object.entries(rows[r])) {
      const found = firstNonFinite(value);
      if (found !== undefined) {
        unfit(r, column, found);
        break;
      }
    }
  }
  return out;
}

/** The first NaN or infinity in a value, at any depth. */
function firstNonFinite(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : value;
  if (value === null || typeof value !== 'object' || value instanceof Date) return undefined;
  for (const item of Object.values(value)) {
    const found = firstNonFinite(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** CSV in schema column order; fields with separators, quotes or line breaks are quoted, quotes doubled. */
export function toCsv(rows: Row[], schema: Schema, header: boolean): string {
  const names = schema.map((c) => c.name);
  const lines = header ? [names.map(csvField).join(',')] : [];
  for (const row of rows) lines.push(names.map((n) => csvCell(row[n])).join(','));
  return `${lines.join('\n')}\n`;
}

function csvValue(value: Value | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** An empty string is written quoted (`""`): an empty unquoted field reads back as null, as Spark reads CSV. */
function csvCell(value: Value | undefined): string {
  return value === '' ? '""' : csvField(csvValue(value));
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
