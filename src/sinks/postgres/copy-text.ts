import type { Row, Value } from '../../core/row.js';
import type { ColumnType } from '../../core/schema.js';

/**
 * COPY's text format, which `COPY ... FROM STDIN` reads: one line per row, fields separated by a tab, `\N` for null,
 * and backslash escapes for backslash, tab, newline and carriage return inside a value. Chosen over the binary format
 * and over multi-row INSERTs by measurement (bench/postgres.ts, docs/postgres.md).
 */

/** A value the table cannot hold (a NUL character, an invalid Date...): the sink names the column and the row. */
export interface Unfit {
  column: string;
  reason: string;
}

type FieldEncoder = (value: Value | undefined) => string;

const ESCAPES = /[\\\t\n\r]/g;
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Text as COPY reads it back verbatim. */
export const escapeText = (text: string): string => (NEEDS_ESCAPE.test(text) ? text.replace(ESCAPES, (c) => ESCAPED[c]) : text);

/** JSON text for jsonb, BigInts as numbers. */
export const jsonText = (value: Value): string => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** A Date as ISO 8601 in UTC (`2026-11-30T09:41:07.123Z`), which timestamptz reads exactly. */
const dateText = (date: Date): string => date.toISOString();

function generic(value: Value): string {
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return dateText(value);
  return escapeText(jsonText(value));
}

/**
 * One encoder per column type, chosen once per sink, so the per-value work is a call without a switch. Numbers are
 * written in JavaScript's shortest round-trip form, which PostgreSQL reads back exactly (NaN and ±Infinity included:
 * double precision holds them). Nested values (and everything in an `any` column) are JSON for jsonb.
 */
export function fieldEncoder(type: ColumnType): FieldEncoder {
  switch (type) {
    case 'long':
    case 'double':
      return (v) => (v === null || v === undefined ? '\\N' : typeof v === 'number' ? String(v) : generic(v));
    case 'string':
      return (v) => (v === null || v === undefined ? '\\N' : typeof v === 'string' ? escapeText(v) : generic(v));
    case 'timestamp':
      return (v) =>
        v === null || v === undefined
          ? '\\N'
          : v instanceof Date
            ? dateText(v)
            : typeof v === 'number'
              ? dateText(new Date(v))
              : generic(v);
    case 'boolean':
      return (v) => (v === null || v === undefined ? '\\N' : generic(v));
    case 'array':
    case 'struct':
    case 'any':
      return (v) => (v === null || v === undefined ? '\\N' : escapeText(jsonText(v)));
  }
}

/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the years that toISOString writes as four digits. */
const FIRST_MS = -62_135_596_800_000; // Date.UTC takes years 0-99 as 1900-1999, so written out
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** What can make a value of this type unfit, checked before anything is sent; undefined when it fits. */
export function unfitCheck(type: ColumnType): (value: Value | undefined) => string | undefined {
  const text = (s: string) => (s.includes('\0') ? 'a NUL character (\\0): PostgreSQL text cannot hold it' : undefined);
  // Comparing the time is the cheap check (this runs for every timestamp); the year is worked out only for the message.
  const date = (d: Date) => {
    const time = d.getTime();
    if (time >= FIRST_MS && time <= LAST_MS) return undefined;
    return Number.isNaN(time) ? 'an invalid Date' : `year ${d.getUTCFullYear()} is outside the years the sink writes (1 to 9999)`;
  };
  return (v) => {
    if (v === null || v === undefined) return undefined;
    if (type === 'long' && (typeof v === 'number' || typeof v === 'bigint')) return wholeNumber(v);
    if ((type === 'long' || type === 'double') && typeof v !== 'number' && typeof v !== 'bigint')
      return `a ${v instanceof Date ? 'Date' : typeof v} value in a ${type} column`;
    if (typeof v === 'string') return text(v);
    if (v instanceof Date) return date(v);
    if (typeof v === 'number' && type === 'timestamp') return date(new Date(v));
    if (typeof v === 'object' && (type === 'array' || type === 'struct' || type === 'any'))
      return jsonText(v).includes('\\u0000') ? 'a NUL character (\\u0000): jsonb cannot hold it' : undefined;
    return undefined;
  };
}

const INT64_MAX = 2n ** 63n - 1n;

/** A long must be a whole number that bigint holds (text COPY would fail on the server, binary in the client). */
function wholeNumber(v: number | bigint): string | undefined {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return `${v} is not a whole number (the column is a long)`;
    return Math.abs(v) < 9.2e18 ? undefined : `${v} is outside bigint's range`;
  }
  return v <= INT64_MAX && v >= -INT64_MAX - 1n ? undefined : `${v} is outside bigint's range`;
}

/** The columns a sink writes, in table order. */
export interface CopyColumns {
  names: readonly string[];
  types: readonly ColumnType[];
}

/** Rows as COPY text, in chunks of about 64 KiB: lazy, so the server parses chunk k while chunk k+1 is encoded. */
export function* copyTextChunks(rows: readonly Row[], columns: CopyColumns): Generator<string> {
  const { names } = columns;
  const encoders = columns.types.map(fieldEncoder);
  const width = names.length;
  let chunk = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    let line = encoders[0](row[names[0]]);
    for (let c = 1; c < width; c++) line += `\t${encoders[c](row[names[c]])}`;
    chunk += `${line}\n`;
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** Each row (by index) holding a value the table cannot hold, with the first such column. */
export function unfitRows(rows: readonly Row[], columns: CopyColumns): Map<number, Unfit> {
  const checks = columns.types.map(unfitCheck);
  const unfit = new Map<number, Unfit>();
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < checks.length; c++) {
      const value = row[columns.names[c]];
      const type = columns.types[c];
      if (value === null || value === undefined || typeof value === 'boolean') continue;
      // Numbers can be unfit only as a timestamp, or as a long that is not a whole number or too large.
      if (typeof value === 'number' && type !== 'timestamp' && (type !== 'long' || (Number.isInteger(value) && Math.abs(value) < 9.2e18)))
        continue;
      const reason = checks[c](value);
      if (reason) {
        unfit.set(r, { column: columns.names[c], reason });
        break;
      }
    }
  }
  return unfit;
}
