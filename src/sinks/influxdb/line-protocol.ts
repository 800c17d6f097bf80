/**
 * InfluxDB line protocol, compiled once per sink from the columns it writes:
 *
 *   measurement,tag1=a,tag2=b field1=1.5,field2=3i,field3="text",field4=true 1700000000000
 *
 * One serializer serves both APIs (v1 `/write` and v2 `/api/v2/write` read the same format). Escaping follows the
 * client library's `escape` (measurement: comma, space; tag keys/values and field keys: comma, equals sign, space;
 * string fields: double quote and backslash). Backslashes are kept literally by the servers, which also means a tag
 * value cannot end with one (InfluxDB 1.6 and 1.8 answer "invalid tag format" however it is escaped): such a value
 * is refused here with its row and column, rather than by the server for the whole request.
 */
import { escape as lineEscape } from '@influxdata/influxdb-client';
import type { Row, Value } from '../../core/row.js';
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
 * Returns `(row) => line`, or undefined for a row without any non-null field (InfluxDB has no point without a
 * field). Throws LineError for a value that cannot be written.
 */
export type LineSerializer = (row: Row) => string | undefined;

const NEEDS_TAG_ESCAPE = /[,= \n\r\t]/;
const NEEDS_QUOTE_ESCAPE = /["\\]/;
/** 2^63, exact as a double (2^63 - 1 is not: it rounds up to 2^63); longs are -2^63 <= v < 2^63. */
const INT64_LIMIT = 2 ** 63;

export function escapeTagValue(value: string): string {
  return NEEDS_TAG_ESCAPE.test(value) ? lineEscape.tag(value) : value;
}

export const escapeMeasurement = (name: string): string => lineEscape.measurement(name);
export const escapeKey = (name: string): string => lineEscape.tag(name);

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

/** Milliseconds since the epoch -> the integer the server reads in `precision` units. */
function timeFromMs(ms: number, precision: Precision): string {
  switch (precision) {
    case 'ns':
      return ms === 0 ? '0' : `${ms}000000`;
    case 'us':
      return ms === 0 ? '0' : `${ms}000`;
    case 'ms':
      return String(ms);
    case 's':
      return String(Math.floor(ms / 1000));
  }
}

function timeFormatter(plan: LinePlan['time'], precision: Precision): (v: Value) => string {
  const { column } = plan;
  const missing = () =>
    new LineError(
      column,
      `the time column "${column}" is null: a point takes its time from the row (so that replays overwrite it), so rows without a time cannot be written; filter them out first`,
    );
  if (plan.kind === 'long') {
    return (v) => {
      if (v === null || v === undefined) throw missing();
      if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return String(v);
      throw new LineError(column, `expected an integer time in ${precision}, found ${describe(v)}`);
    };
  }
  return (v) => {
    if (v === null || v === undefined) throw missing();
    const ms = v instanceof Date ? v.getTime() : NaN;
    if (Number.isNaN(ms)) throw new LineError(column, `expected a timestamp, found ${describe(v)}`);
    return timeFromMs(ms, precision);
  };
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
  const time = timeFormatter(plan.time, plan.precision);
  const tagCount = tagNames.length;
  const fieldCount = fieldNames.length;

  return (row) => {
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
      line += tagKeys[i] + escapeTagValue(text);
    }
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
    return `${line} ${time(row[timeColumn])}`;
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
