import type { Row, Value } from '../../core/row.js';
import type { Column, ColumnType } from '../../core/schema.js';
import { describeValue } from './partition.js';

/**
 * Rows to Parquet bytes, with the Parquet types taken from the input schema (never guessed from the values, so every
 * file of a table has the same schema, whatever one batch happens to hold):
 *
 * | schema            | Parquet                                                     | Spark reads   | pyarrow reads          |
 * | ----------------- | ----------------------------------------------------------- | ------------- | ---------------------- |
 * | long              | INT64                                                       | LongType      | int64                  |
 * | double            | DOUBLE                                                      | DoubleType    | double                 |
 * | string            | BYTE_ARRAY, STRING (UTF8)                                   | StringType    | string                 |
 * | boolean           | BOOLEAN                                                     | BooleanType   | bool                   |
 * | timestamp         | INT64, TIMESTAMP(isAdjustedToUTC=true, MICROS)              | TimestampType | timestamp[us, tz=UTC]  |
 * | any/array/struct  | BYTE_ARRAY, STRING holding the value as JSON text           | StringType    | string                 |
 *
 * Every column is OPTIONAL (nullable), as Spark writes them. Timestamps are microseconds (Spark's own precision, and
 * what it writes with `outputTimestampType=TIMESTAMP_MICROS`); a `Date` has milliseconds, so the last three digits are
 * zero. `any` columns are JSON text rather than types inferred from the values: inference would give files of one
 * table different schemas from batch to batch; read them back with Spark's `from_json` / `get_json_object`.
 */

export type Codec = 'snappy' | 'gzip' | 'uncompressed';

export interface EncodeOptions {
  codec: Codec;
  rowGroupSize: number;
  /**
   * Extra key/value metadata in the footer (the batch id): at most one key, as parquet-wasm writes several in a
   * random order (a Rust HashMap) and a replayed batch must give the same bytes.
   */
  metadata?: Record<string, string>;
  /** Key/value metadata of the Arrow schema (in the footer's ARROW:schema; pyarrow's schema.metadata): at most one key. */
  schemaMetadata?: Record<string, string>;
}

/** Spark's file extensions per codec: `.snappy.parquet`, `.gz.parquet`, `.parquet`. */
export const CODEC_EXTENSION: Record<Codec, string> = { snappy: '.snappy', gzip: '.gz', uncompressed: '' };

/** A column's value that does not fit its declared type: names the column, the row and the value. */
export class ColumnValueError extends TypeError {
  constructor(column: Column, index: number, value: Value | undefined) {
    super(`column "${column.name}" is declared ${column.type} but row ${index} of the batch has ${describeValue(value)}`);
    this.name = 'ColumnValueError';
  }
}

type Converted = string | bigint | number | boolean | null;

/** One column as the writer (writer.ts) takes it: a typed array when it holds no null, else an array with nulls. */
export type ColumnArray = Converted[] | BigInt64Array | Float64Array;

/**
 * Converts one column of the rows to a ColumnArray: a BigInt64Array (long; timestamp in microseconds) or
 * Float64Array (double) when the column has no null, else an array with nulls; strings as they are; any, array and
 * struct values as JSON text.
 */
export function columnValues(column: Column, rows: readonly Row[]): ColumnArray {
  const { name } = column;
  const out = new Array<Converted>(rows.length);
  const fail = (i: number): never => {
    throw new ColumnValueError(column, i, rows[i][name]);
  };
  switch (column.type) {
    case 'long': {
      // A typed array while there is no null: no heap object per value, far less garbage collection.
      const typed = new BigInt64Array(rows.length);
      const words = new Int32Array(typed.buffer);
      let i = 0;
      for (; i < rows.length; i++) {
        const v = rows[i][name];
        if (typeof v === 'number' && Number.isSafeInteger(v)) setInt64(typed, words, i, v);
        else if (typeof v === 'bigint' && BigInt.asIntN(64, v) === v) typed[i] = v;
        else if (v === null || v === undefined) break;
        else fail(i);
      }
      if (i === rows.length) return typed;
      for (let j = 0; j < i; j++) out[j] = typed[j];
      for (; i < rows.length; i++) {
        const v = rows[i][name];
        if (v === null || v === undefined) out[i] = null;
        else if (typeof v === 'bigint') out[i] = BigInt.asIntN(64, v) === v ? v : fail(i);
        else if (typeof v === 'number' && Number.isSafeInteger(v)) out[i] = BigInt(v);
        else fail(i);
      }
      return out;
    }
    case 'double': {
      const typed = new Float64Array(rows.length);
      let i = 0;
      for (; i < rows.length; i++) {
        const v = rows[i][name];
        if (typeof v === 'number') typed[i] = v;
        else if (typeof v === 'bigint') typed[i] = Number(v);
        else if (v === null || v === undefined) break;
        else fail(i);
      }
      if (i === rows.length) return typed;
      for (let j = 0; j < i; j++) out[j] = typed[j];
      for (; i < rows.length; i++) {
        const v = rows[i][name];
        if (v === null || v === undefined) out[i] = null;
        else if (typeof v === 'number') out[i] = v;
        else if (typeof v === 'bigint') out[i] = Number(v);
        else fail(i);
      }
      return out;
    }
    case 'boolean':
      for (let i = 0; i < rows.length; i++) {
        const v = rows[i][name];
        if (v === null || v === undefined) out[i] = null;
        else if (typeof v === 'boolean') out[i] = v;
        else fail(i);
      }
      return out;
    case 'timestamp': {
      // Microseconds since the epoch (a Date has milliseconds).
      const typed = new BigInt64Array(rows.length);
      const words = new Int32Array(typed.buffer);
      let i = 0;
      for (; i < rows.length; i++) {
        const v = rows[i][name];
        const ms = v instanceof Date ? v.getTime() : NaN;
        if (Number.isSafeInteger(ms * 1000)) setInt64(typed, words, i, ms * 1000);
        else if (v instanceof Date && !Number.isNaN(ms))
          typed[i] = BigInt(ms) * 1000n; // exact past 2^53 µs (year 2255)
        else if (v === null || v === undefined) break;
        else fail(i);
      }
      if (i === rows.length) return typed;
      for (let j = 0; j < i; j++) out[j] = typed[j];
      for (; i < rows.length; i++) {
        const v = rows[i][name];
        if (v === null || v === undefined) out[i] = null;
        else if (v instanceof Date && !Number.isNaN(v.getTime())) out[i] = BigInt(v.getTime()) * 1000n;
        else fail(i);
      }
      return out;
    }
    case 'string':
      for (let i = 0; i < rows.length; i++) {
        const v = rows[i][name];
        if (v === null || v === undefined) out[i] = null;
        else if (typeof v === 'string') out[i] = v;
        else fail(i);
      }
      return out;
    case 'any':
    case 'array':
    case 'struct':
      for (let i = 0; i < rows.length; i++) {
        const v = rows[i][name];
        out[i] = v === null || v === undefined ? null : toJson(v);
      }
      return out;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Stores a safe integer in slot i of a BigInt64Array as its two 32-bit words (`words` views the same buffer),
 * without allocating a BigInt per value: the low word is the value modulo 2^32, the high word the floor of the
 * value / 2^32 (two's complement for negatives as well).
 */
export function setInt64(typed: BigInt64Array, words: Int32Array, i: number, v: number): void {
  if (!LITTLE_ENDIAN) {
    typed[i] = BigInt(v);
    return;
  }
  words[2 * i] = v | 0;
  words[2 * i + 1] = Math.floor(v / 4294967296);
}

/**
 * JSON text of a row value: like JSON.stringify, but a bigint is written as its exact digits (JSON.stringify throws)
 * and a Date as its ISO string in UTC.
 */
export function toJson(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return JSON.stringify(Number.isNaN(value.getTime()) ? null : value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) if (v !== undefined) parts.push(`${JSON.stringify(k)}:${toJson(v)}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value); // string, boolean, number (NaN/Infinity -> null, as JSON.stringify)
}

/** Column types a plain `col=value` partition accepts; `any` is checked per value at run time. */
export const PARTITION_COLUMN_TYPES: readonly ColumnType[] = ['string', 'long', 'boolean', 'any'];
