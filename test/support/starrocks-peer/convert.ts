/**
 * How a loaded value becomes a column value, after StarRocks' load semantics:
 * - a value that cannot be converted to the column type is an error with strict_mode=true; with strict_mode=false
 *   (StarRocks' default) it becomes NULL;
 * - a NULL (given, converted, or a missing JSON key without a default) in a NOT NULL column filters the row;
 * - a string longer than a VARCHAR/CHAR's length (in bytes, as StarRocks counts) filters the row.
 * A filtered row is counted in NumberFilteredRows and listed, with the reason, in the error log behind ErrorURL.
 */
import type { TableColumn } from './store.js';

export type Conversion = { ok: true; value: unknown } | { ok: false; reason: string };

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  tinyint: [-128n, 127n],
  smallint: [-32768n, 32767n],
  mediumint: [-8388608n, 8388607n],
  int: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?)?$/;

function validDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const text = (raw: unknown): string => (typeof raw === 'object' ? JSON.stringify(raw) : String(raw));

/** Converts; `undefined` result value means "absent" (the column's default applies). */
function convertValue(raw: unknown, column: TableColumn): Conversion {
  const fail = (what: string): Conversion => ({
    ok: false,
    reason: `${what} for column ${column.name} (${column.columnType}): ${JSON.stringify(raw)}`,
  });
  if (column.columnType.startsWith('tinyint(1)')) {
    if (raw === true || raw === 'true' || raw === 1 || raw === '1') return { ok: true, value: 1 };
    if (raw === false || raw === 'false' || raw === 0 || raw === '0') return { ok: true, value: 0 };
    return fail('not a boolean');
  }
  const range = INTEGER_RANGES[column.dataType];
  if (range) {
    const digits =
      typeof raw === 'number' && Number.isInteger(raw)
        ? String(raw)
        : typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
          ? raw.trim()
          : undefined;
    if (digits === undefined) return fail('not an integer');
    const value = BigInt(digits);
    const [min, max] = column.columnType.includes('unsigned') ? [0n, range[1] * 2n + 1n] : range;
    if (value < min || value > max) return fail('out of range');
    return {
      ok: true,
      value: value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString(),
    };
  }
  switch (column.dataType) {
    case 'double':
    case 'float':
    case 'decimal': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return Number.isFinite(value) ? { ok: true, value } : fail('not a number');
    }
    case 'varchar':
    case 'char': {
      const value = text(raw);
      if (column.maxLength !== null && Buffer.byteLength(value) > column.maxLength) {
        // Not a conversion error: StarRocks filters such a row even without strict mode.
        return {
          ok: false,
          reason: `the length of input is too long than schema. column_name: ${column.name}; schema length: ${column.maxLength}; actual length: ${Buffer.byteLength(value)}`,
        };
      }
      return { ok: true, value };
    }
    case 'datetime':
    case 'timestamp':
    case 'date': {
      const value = typeof raw === 'string' ? raw.trim() : '';
      const match = DATETIME.exec(value);
      if (!match || !validDate(Number(match[1]), Number(match[2]), Number(match[3]))) return fail('not a date/datetime');
      if (match[4] !== undefined && (Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6]) > 59))
        return fail('not a time of day');
      return { ok: true, value: column.dataType === 'date' ? value.slice(0, 10) : value.replace('T', ' ') };
    }
    default:
      // text, longtext (MariaDB's JSON), ...: anything, objects as JSON text
      return { ok: true, value: text(raw) };
  }
}

/** The value for `column`, or why the row is filtered. `strict`: StarRocks' strict_mode header. */
export function convertForColumn(raw: unknown, present: boolean, column: TableColumn, strict: boolean): Conversion {
  if (!present && column.hasDefault) return { ok: true, value: undefined };
  let converted: Conversion = raw === null || raw === undefined ? { ok: true, value: null } : convertValue(raw, column);
  if (!converted.ok) {
    if (strict || /too long than schema/.test(converted.reason)) return converted;
    converted = { ok: true, value: null };
  }
  if (converted.value === null && !column.nullable) {
    return {
      ok: false,
      reason: `NULL value in non-nullable column '${column.name}'${raw === null || raw === undefined ? '' : ` (from ${JSON.stringify(raw)}, which is not a ${column.columnType})`}`,
    };
  }
  return converted;
}
