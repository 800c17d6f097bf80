import mysql from 'mysql2';
import type { Value } from '../../core/row.js';
import type { ColumnType } from '../../core/schema.js';

/** A value the target cannot hold (NaN, an invalid Date...): the sink names the column and the row. */
export class UnfitValueError extends Error {
  constructor(
    readonly column: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'UnfitValueError';
  }
}

/** Turns one value of a column into an SQL literal. */
export type LiteralFormatter = (value: Value | undefined) => string;

/**
 * The driver's escaping (mysql2 -> sql-escaper) with UTC for Dates. It is correct only while the session does not
 * use NO_BACKSLASH_ESCAPES; the sink's session setup (session.ts) guarantees that.
 */
export const escapeValue = (value: unknown): string => mysql.escape(value as never, false, 'Z');

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * A Date as a quoted DATETIME literal in UTC, `'2026-01-01 00:00:00.050'`. Written here rather than by the driver
 * because it is a third of the sink's client time on timestamp-heavy rows (3x faster, measured); the text is digits
 * and separators only, so there is nothing to escape. Years outside 0..9999 have no DATETIME value and are refused.
 */
export function dateLiteral(date: Date, column: string): string {
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year <= 9999))
    throw new UnfitValueError(column, date, Number.isNaN(year) ? 'an invalid Date' : `year ${year} is outside DATETIME's range`);
  return `'${year < 1000 ? String(year).padStart(4, '0') : year}-${TWO_DIGITS[date.getUTCMonth() + 1]}-${TWO_DIGITS[date.getUTCDate()]} ${TWO_DIGITS[date.getUTCHours()]}:${TWO_DIGITS[date.getUTCMinutes()]}:${TWO_DIGITS[date.getUTCSeconds()]}.${THREE_DIGITS[date.getUTCMilliseconds()]}'`;
}

export const jsonText = (value: Value): string => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * One formatter per column type, chosen once per sink so the per-value work is a switch-free call. Numbers are written
 * as they are (JavaScript's shortest round-trip form, which SQL reads back exactly); NaN and the infinities have no
 * SQL literal and are refused, naming the column.
 */
export function literalFormatter(type: ColumnType, column: string): LiteralFormatter {
  const unfit = (value: unknown, reason: string): never => {
    throw new UnfitValueError(column, value, reason);
  };
  const number = (value: number): string =>
    Number.isFinite(value) ? String(value) : unfit(value, `${value} has no SQL value (MySQL stores no NaN or infinity)`);
  const generic = (value: Value): string => {
    if (typeof value === 'number') return number(value);
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (value instanceof Date) return dateLiteral(value, column);
    if (typeof value === 'object') return escapeValue(jsonText(value));
    return escapeValue(value);
  };
  switch (type) {
    case 'long':
    case 'double':
      return (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? number(v) : generic(v));
    case 'timestamp':
      return (v) => {
        if (v === null || v === undefined) return 'NULL';
        if (typeof v === 'number') return generic(new Date(v));
        return generic(v);
      };
    case 'string':
      return (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'string' ? escapeValue(v) : generic(v));
    case 'array':
    case 'struct':
    case 'any':
      // JSON columns take JSON text; a plain string in an `any` column is stored as the string itself.
      return (v) =>
        v === null || v === undefined ? 'NULL' : typeof v === 'object' && !(v instanceof Date) ? escapeValue(jsonText(v)) : generic(v);
    case 'boolean':
      return (v) => (v === null || v === undefined ? 'NULL' : generic(v));
  }
}
