import type { Value } from '../core/row.js';
import type { ColumnType } from '../core/schema.js';
import { parseTimestamp } from './timestamp-text.js';

/**
 * Converts a value read from a file to its schema type, or explains why it cannot. Only a missing value (a JSON null
 * or absent key, an empty unquoted CSV field) is null; an empty string stays an empty string in a string column and
 * is an error in any other. Nothing is guessed: `0x10` is not 16, `2024-02-30` is not March 1st, `1.5` is not a long.
 * Doubles also take the texts `NaN`, `Infinity` and `-Infinity` (as Spark's CSV reader does), so they are never null.
 * Timestamps take ISO 8601 text or epoch milliseconds.
 */
export function coerce(raw: unknown, type: ColumnType): { value: Value } | { error: string } {
  if (raw === null || raw === undefined) return { value: null };
  switch (type) {
    case 'string':
      return typeof raw === 'object' ? { value: JSON.stringify(raw) } : { value: String(raw) };
    case 'long': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && WHOLE.test(raw) ? Number(raw) : NaN;
      return Number.isSafeInteger(n) ? { value: n } : { error: 'expected a whole number (long)' };
    }
    case 'double': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseDouble(raw) : NaN;
      return n === undefined ? { error: 'expected a decimal number (double)' } : { value: n };
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return { value: raw.trim().toLowerCase() === 'true' };
      return { error: 'expected true or false' };
    case 'timestamp': {
      const ms = timestampMillis(raw);
      return ms === undefined ? { error: TIMESTAMP_ERROR } : { value: new Date(ms) };
    }
    case 'array':
      return Array.isArray(raw) ? { value: raw as Value } : { error: 'expected an array' };
    case 'struct':
      return typeof raw === 'object' && !Array.isArray(raw) ? { value: raw as Value } : { error: 'expected an object' };
    case 'any':
      return { value: raw as Value };
  }
}

const TIMESTAMP_ERROR = 'expected an ISO 8601 time (a real date) or epoch milliseconds';

/** coerce's timestamp rule: epoch milliseconds from ISO 8601 text or an epoch-ms number; undefined for anything else. */
function timestampMillis(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  return typeof raw === 'string' ? parseTimestamp(raw) : undefined;
}

/** As coerce, but a timestamp is its epoch milliseconds (a number): what a column vector stores, without a Date per value. */
export function coerceCell(raw: unknown, type: ColumnType): { value: Value } | { error: string } {
  if (type !== 'timestamp' || raw === null || raw === undefined) return coerce(raw, type);
  const ms = timestampMillis(raw);
  return ms === undefined ? { error: TIMESTAMP_ERROR } : { value: ms };
}

const WHOLE = /^\s*[-+]?\d+\s*$/;
/** Decimal notation only: Number() would also take `0x10` and `0b11`, and make 0 of an empty string. */
const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '+Infinity': Infinity, '-Infinity': -Infinity };

/** A double from text; undefined when the text is not a decimal number or one of the spellings of NaN and the infinities. */
function parseDouble(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  const special = SPECIAL[text.trim()];
  return special === undefined ? undefined : special;
}
