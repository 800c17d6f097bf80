import { gunzipSync } from 'node:zlib';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';
import type { Row, Value } from '../../core/row.js';
import type { Column, ColumnType } from '../../core/schema.js';

/**
 * One Parquet file to rows of the declared schema, with hyparquet. The declared type of each column is checked
 * against the file's type before any row is read (a mismatch names the file, the column and both types):
 *
 * | declared  | accepted in the file                                           | value                          |
 * | --------- | -------------------------------------------------------------- | ------------------------------ |
 * | long      | INT32, INT64 (no date, time, timestamp or decimal annotation)  | number (bigint past 2^53)      |
 * | double    | DOUBLE, FLOAT                                                  | number                         |
 * | string    | BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY as UTF-8 text                | string                         |
 * | boolean   | BOOLEAN                                                        | boolean                        |
 * | timestamp | INT64 TIMESTAMP (ms, us, ns), INT96 (old Spark, Impala)        | Date (ms; finer digits dropped) |
 * | array     | a LIST group                                                   | array                          |
 * | struct    | a group, a MAP                                                 | object                         |
 * | any       | anything                                                       | as hyparquet decodes it        |
 *
 * In a file of streamlab's parquet sink, which writes `array`, `struct` and `any` columns as JSON text, such a column
 * is parsed back when the schema declares one of those types, so what the sink wrote reads back as it was (dates
 * inside it come back as ISO text). A declared column
 * the file lacks is null (Spark reads a missing column as null, which is how a table's schema can grow).
 */

/** What a file gives besides its rows, for messages. */
export class ParquetFileError extends Error {}

const GUNZIP = { GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)) };

// Dates from bigint time units, rounding down (hyparquet's defaults truncate toward zero, wrong before 1970).
const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
const PARSERS = {
  timestampFromMicroseconds: (micros: bigint) => new Date(Number(floorDiv(micros, 1000n))),
  timestampFromNanoseconds: (nanos: bigint) => new Date(Number(floorDiv(nanos, 1_000_000n))),
};

/** Reads `bytes` (the whole file) into rows of `columns`; `fill` gives values that do not come from the file. */
export async function readParquetRows(bytes: Uint8Array, columns: readonly Column[], fill: Row): Promise<Row[]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(buffer);
  } catch (error) {
    throw new ParquetFileError(`not a Parquet file (${(error as Error).message})`);
  }
  // streamlab's parquet sink writes array, struct and any columns as JSON text (its `created_by` starts so).
  const streamlabFile = metadata.created_by?.startsWith('streamlab') === true;
  const top = new Map(parquetSchema(metadata).children.map((c) => [c.element.name, c]));
  const jsonText = new Set<string>();
  const fromFile: Column[] = [];
  for (const column of columns) {
    if (Object.hasOwn(fill, column.name)) continue;
    const node = top.get(column.name);
    if (!node) continue;
    const found = describeElement(node);
    const fits = accepts(column.type, node, streamlabFile);
    if (fits === 'json') jsonText.add(column.name);
    else if (!fits)
      throw new ParquetFileError(`column '${column.name}' is ${found} in the file, but the schema declares it ${column.type}`);
    fromFile.push(column);
  }
  const records =
    fromFile.length === 0
      ? Array.from({ length: Number(metadata.num_rows) }, (): Record<string, unknown> => ({}))
      : await parquetReadObjects({
          file: buffer,
          metadata,
          columns: fromFile.map((c) => c.name),
          compressors: GUNZIP,
          parsers: PARSERS,
        }).catch((error: Error) => {
          throw new ParquetFileError(`cannot be decoded: ${error.message}`);
        });
  return records.map((record, i) => {
    const row: Row = {};
    for (const column of columns) {
      if (Object.hasOwn(fill, column.name)) row[column.name] = fill[column.name];
      else row[column.name] = toValue(record[column.name], column, jsonText.has(column.name), i);
    }
    return row;
  });
}

function toValue(raw: unknown, column: Column, json: boolean, index: number): Value {
  if (raw === null || raw === undefined) return null;
  if (json && typeof raw === 'string') {
    try {
      return JSON.parse(raw) as Value;
    } catch {
      throw new ParquetFileError(`row ${index}: column '${column.name}' holds text that is not JSON, so not a ${column.type}`);
    }
  }
  return plainLongs(raw);
}

/** INT64 values come as bigints; streamlab keeps a long as a number while it is exact (inside arrays and structs too). */
function plainLongs(raw: unknown): Value {
  if (typeof raw === 'bigint') return BigInt(Number(raw)) === raw && Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
  if (Array.isArray(raw)) return raw.map(plainLongs);
  if (raw !== null && typeof raw === 'object' && !(raw instanceof Date) && !(raw instanceof Uint8Array)) {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(raw)) out[k] = plainLongs(v);
    return out;
  }
  return raw as Value;
}

type Fit = boolean | 'json';

/** Whether a file column of this shape can be read as the declared type (`json`: as JSON text). */
function accepts(type: ColumnType, node: SchemaTree, streamlabFile: boolean): Fit {
  const e = node.element;
  const logical = e.logical_type?.type;
  const isGroup = node.children.length > 0;
  const isText = !isGroup && (e.type === 'BYTE_ARRAY' || e.type === 'FIXED_LEN_BYTE_ARRAY') && !logical?.match(/DECIMAL|UUID/);
  const json = isText && streamlabFile ? 'json' : false;
  switch (type) {
    case 'any':
      return json || true;
    case 'long':
      return (e.type === 'INT64' || e.type === 'INT32') && (logical === undefined || logical === 'INTEGER') && !isDateLike(e);
    case 'double':
      return e.type === 'DOUBLE' || e.type === 'FLOAT';
    case 'string':
      return isText;
    case 'boolean':
      return e.type === 'BOOLEAN';
    case 'timestamp':
      return (
        e.type === 'INT96' || logical === 'TIMESTAMP' || e.converted_type === 'TIMESTAMP_MILLIS' || e.converted_type === 'TIMESTAMP_MICROS'
      );
    case 'array':
      return json || (isGroup && (logical === 'LIST' || e.converted_type === 'LIST'));
    case 'struct':
      return json || (isGroup && logical !== 'LIST' && e.converted_type !== 'LIST');
  }
}

function isDateLike(e: SchemaElement): boolean {
  return ['DATE', 'TIME_MILLIS', 'TIME_MICROS', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS', 'DECIMAL'].includes(e.converted_type ?? '');
}

/** `INT64 (TIMESTAMP MICROS)`, `BYTE_ARRAY (STRING)`, `a group (LIST)`: how a column is stored, for messages. */
function describeElement(node: SchemaTree): string {
  const e = node.element;
  const annotation = e.logical_type
    ? [e.logical_type.type, 'unit' in e.logical_type ? e.logical_type.unit : undefined].filter(Boolean).join(' ')
    : e.converted_type;
  const base = node.children.length > 0 ? 'a group' : (e.type ?? 'unknown');
  return annotation ? `${base} (${annotation})` : base;
}
