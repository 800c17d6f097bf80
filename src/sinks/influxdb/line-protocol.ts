/**
 * InfluxDB line protocol, compiled once per sink from the columns it writes:
 *
 *   measurement,tag1=a,tag2=b field1=1.5,field2=3i,field3="text",field4=true 1700000000000000000
 *
 * One serializer serves both APIs (v1 `/write` and v2 `/api/v2/write` read the same format). Times are always sent
 * in nanoseconds, so that rows sharing a series and a time can be kept apart (see collisions.ts).
 *
 * Escaping, as InfluxDB 1.6 and 1.8 parse it (checked against both): measurement: comma, space; tag keys, tag
 * values and field keys: comma, equals sign, space; string fields: double quote and backslash. Tab and carriage
 * return need no escape and are stored exactly; a backslash before them (what the client library's `escape`
 * writes) is stored literally, so it is not written. A newline cannot be carried outside a string field (raw, it
 * ends the line; escaped, the server keeps the backslash), and a tag value cannot end with a backslash (the
 * servers answer "invalid tag format" however it is escaped): such values are refused here with their row and
 * column, rather than stored as something else or refused by the server for the whole request.
 */
import { escape as lineEscape } from '@influxdata/influxdb-client';
import type { Row, Value } from '../../core/row.js';
import type { CollisionCounter } from './collisions.js';
import type { Precision } from './options.js';

/** How a field column is written: from its schema type; `dynamic` (type `any`) looks at each value. */
export type FieldKind = 'float' | 'integer' | 'boolean' | 'string' | 'dynamic';

export interface LinePlan {
  measurement: string;
  tags: readonly string[];
  fields: ReadonlyArray<{ name: string; kind: FieldKind }>;
  time: { column: string; kind: 'timestamp' | 'long' };
  precision: Precision;
}

/** A value that cannot become part of a point (a null time, a long that is not an integer...): names the column. */
export class LineError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
    this.name = 'LineError';
  }
}

/**
 * Returns `(row, index, collisions) => line`, or undefined for a row without any non-null field (InfluxDB has no
 * point without a field). `index` is the row's place in the batch; `collisions` gives rows of one series and time
 * their nanosecond offsets. Throws LineError for a value that cannot be written, CollisionError for rows that
 * cannot be kept apart.
 */
export type LineSerializer = (row: Row, index: number, collisions: CollisionCounter) => string | undefined;

/** The characters a tag value needs a look at: the escaped ones, and the newline it cannot carry. */
const NEEDS_TAG_ESCAPE = /[,= \n]/;
const TAG_ESCAPES = /[,= ]/g;
const MEASUREMENT_ESCAPES = /[, ]/g;
const NEEDS_QUOTE_ESCAPE = /["\\]/;
/** 2^63, exact as a double (2^63 - 1 is not: it rounds up to 2^63); longs are -2^63 <= v < 2^63. */
const INT64_LIMIT = 2 ** 63;

/** Escapes a tag value; throws LineError (naming `column`) for a newline, which no escape carries. */
function escapeTagValue(value: string, column: string): string {
  if (!NEEDS_TAG_ESCAPE.test(value)) return value;
  if (value.includes('\n')) {
    throw new LineError(
      column,
      `the tag value ${describe(value)} contains a newline, which line protocol cannot carry in a tag (it would be stored as a backslash and the next character or end the line): replace it first, e.g. withColumn with replace(...), or write the column as a string field`,
    );
  }
  return value.replace(TAG_ESCAPES, '\\$&');
}

export const escapeMeasurement = (name: string): string => name.replace(MEASUREMENT_ESCAPES, '\\$&');
export const escapeKey = (name: string): string => name.replace(TAG_ESCAPES, '\\$&');

function quoted(value: string): string {
  return NEEDS_QUOTE_ESCAPE.test(value) ? lineEscape.quoted(value) : `"${value}"`;
}

type Formatter = (value: Value, column: string) => string | undefined;

const formatFloat: Formatter = (v, column) => {
  if (typeof v !== 'number') throw new LineError(column, `expected a number, found ${describe(v)}`);
  // NaN and Infinity have no line-protocol form: refused (the sink applies onBadRecord), never left out silently.
  if (!Number.isFinite(v)) throw new LineError(column, `${v} has no line-protocol value (InfluxDB stores no NaN or infinity)`);
  return String(v);
};

const formatInteger: Formatter = (v, column) => {
  if (typeof v === 'bigint') return `${v}i`;
  if (typeof v === 'number' && Number.isInteger(v) && v >= -INT64_LIMIT && v < INT64_LIMIT) {
    // Past 2^53 a double prints rounded (2^63 as 9223372036854776000, out of range); BigInt prints its exact value.
    return Number.isSafeInteger(v) ? `${v}i` : `${BigInt(v)}i`;
  }
  throw new LineError(column, `expected an integer (64-bit), found ${describe(v)}`);
};

const formatBoolean: Formatter = (v, column) => {
  if (typeof v !== 'boolean') throw new LineError(column, `expected a boolean, found ${describe(v)}`);
  return v ? 'true' : 'false';
};

const formatString: Formatter = (v, column) => {
  if (typeof v !== 'string') throw new LineError(column, `expected a string, found ${describe(v)}`);
  return quoted(v);
};

/** Columns of type `any` (e.g. parsed JSON): the JavaScript type of each value decides. */
const formatDynamic: Formatter = (v, column) => {
  switch (typeof v) {
    case 'number':
      return formatFloat(v, column);
    case 'bigint':
      return formatInteger(v, column);
    case 'boolean':
      return formatBoolean(v, column);
    case 'string':
      return quoted(v);
    default:
      throw new LineError(column, `a field value must be a number, boolean or string, found ${describe(v)}`);
  }
};

const FORMATTERS: Record<FieldKind, Formatter> = {
  float: formatFloat,
  integer: formatInteger,
  boolean: formatBoolean,
  string: formatString,
  dynamic: formatDynamic,
};

function tagText(v: Value, column: string): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(v);
    default:
      if (v instanceof Date) return v.toISOString();
      throw new LineError(column, `a tag value must be text, a number or a boolean, found ${describe(v)}`);
  }
}

/**
 * A row's time as a whole number of "slots" (the unit the row's time is exact to) and how many decimal digits of
 * nanoseconds one slot holds: timestamps are milliseconds (seconds with `precision: s`, which truncates them); a
 * long time column is in `precision` units.
 */
interface TimePlan {
  slot: (v: Value) => number | bigint;
  digits: number;
}

const NANO_DIGITS: Record<Precision, number> = { ns: 0, us: 3, ms: 6, s: 9 };

function timePlan(plan: LinePlan['time'], precision: Precision): TimePlan {
  const { column } = plan;
  const missing = () =>
    new LineError(
      column,
      `the time column "${column}" is null: a point takes its time from the row (so that replays overwrite it), so rows without a time cannot be written; filter them out first`,
    );
  if (plan.kind === 'long') {
    const slot = (v: Value) => {
      if (v === null || v === undefined) throw missing();
      if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return v;
      throw new LineError(column, `expected an integer time in ${precision}, found ${describe(v)}`);
    };
    return { slot, digits: NANO_DIGITS[precision] };
  }
  const seconds = precision === 's';
  const slot = (v: Value) => {
    if (v === null || v === undefined) throw missing();
    const ms = v instanceof Date ? v.getTime() : NaN;
    if (Number.isNaN(ms)) throw new LineError(column, `expected a timestamp, found ${describe(v)}`);
    return seconds ? Math.floor(ms / 1000) : ms;
  };
  return { slot, digits: seconds ? 9 : 6 };
}

/** Decimal digits of nanoseconds below the rows' own time unit: the room rows sharing a time are spread over. */
export function nanoDigits(plan: LinePlan): number {
  return plan.time.kind === 'long' || plan.precision === 's' ? NANO_DIGITS[plan.precision] : 6;
}

/** slot * 10^digits + offset, as the decimal text of an int64 (strings: it exceeds 2^53). */
function nanosText(slot: number | bigint, offset: number, digits: number, zeros: string): string {
  if (slot > 0) return offset === 0 ? `${slot}${zeros}` : `${slot}${String(offset).padStart(digits, '0')}`;
  if (offset === 0) return slot === 0 || slot === 0n ? '0' : `${slot}${zeros}`;
  return String(BigInt(slot) * 10n ** BigInt(digits) + BigInt(offset));
}

export function compileLineProtocol(plan: LinePlan): LineSerializer {
  const prefix = escapeMeasurement(plan.measurement);
  // Tags in key order: the order InfluxDB stores them in, which spares the server a sort per point.
  const tagNames = [...plan.tags].sort();
  const tagKeys = tagNames.map((t) => `,${escapeKey(t)}=`);
  const fieldNames = plan.fields.map((f) => f.name);
  const fieldKeys = plan.fields.map((f) => `${escapeKey(f.name)}=`);
  const formatters = plan.fields.map((f) => FORMATTERS[f.kind]);
  const timeColumn = plan.time.column;
  const { slot: timeSlot, digits } = timePlan(plan.time, plan.precision);
  const zeros = '0'.repeat(digits);
  let lastOffset = -1;
  let offsetText = '';
  const tagCount = tagNames.length;
  const fieldCount = fieldNames.length;

  return (row, index, collisions) => {
    let line = prefix;
    for (let i = 0; i < tagCount; i++) {
      const v = row[tagNames[i]];
      if (v === null || v === undefined) continue;
      const text = tagText(v, tagNames[i]);
      if (text === '') continue; // an empty tag value is invalid: leave the tag out
      if (text.charCodeAt(text.length - 1) === 92) {
        throw new LineError(
          tagNames[i],
          `the tag value ${describe(text)} ends with a backslash, which line protocol cannot carry in a tag`,
        );
      }
      line += tagKeys[i] + escapeTagValue(text, tagNames[i]);
    }
    const series = line;
    let separator = ' ';
    for (let i = 0; i < fieldCount; i++) {
      const v = row[fieldNames[i]];
      if (v === null || v === undefined) continue;
      const text = formatters[i](v, fieldNames[i]);
      if (text === undefined) continue;
      line += separator + fieldKeys[i] + text;
      separator = ',';
    }
    if (separator === ' ') return undefined;
    const slot = timeSlot(row[timeColumn]);
    const offset = collisions.take(series, slot, index);
    if (slot > 0 && offset > 0) {
      // Most rows of a batch share one offset (the batch's): pad it once.
      if (offset !== lastOffset) offsetText = String((lastOffset = offset)).padStart(digits, '0');
      return `${line} ${slot}${offsetText}`;
    }
    return `${line} ${nanosText(slot, offset, digits, zeros)}`;
  };
}

function describe(v: Value): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Date) return `the timestamp ${Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString()}`;
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'a struct';
  const text = typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v) : String(v);
  return `${typeof v} ${text}`;
}
