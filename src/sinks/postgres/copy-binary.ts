import type { Row, Value } from '../../core/row.js';
import type { ColumnType } from '../../core/schema.js';
import type { CopyColumns } from './copy-text.js';

/**
 * COPY's binary format (`COPY ... FROM STDIN (FORMAT binary)`): a header, then per row a field count and per field
 * its length (-1: null) and bytes in the column type's binary form, then -1. The server takes the values without
 * parsing text (timestamps and doubles are most of COPY text's server time), which measured faster than the text
 * format (bench/postgres.ts, docs/postgres.md). Binary values must match the column types exactly, so it is used only
 * when every column is the type the sink creates (connectors/postgres/column-types.ts); otherwise the text format.
 */

const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** 2000-01-01T00:00:00Z, PostgreSQL's epoch; timestamps are microseconds from it. */
const PG_EPOCH_MS = 946_684_800_000;
const CHUNK = 1 << 16;

/** Writes one non-null value at `at` (length and bytes) and returns the new end; `room` bytes are free from `at`. */
type FieldWriter = (buffer: Buffer, at: number, value: Value) => number;

const json = (value: Value): string => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
const asText = (value: Value): string =>
  typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : typeof value === 'object' ? json(value) : String(value);

function writeText(buffer: Buffer, at: number, text: string, prefix?: number): number {
  const start = at + 4;
  let body = start;
  if (prefix !== undefined) body = buffer.writeUInt8(prefix, body);
  const end = body + buffer.write(text, body, 'utf8');
  buffer.writeInt32BE(end - start, at);
  return end;
}

const writers: Record<ColumnType, FieldWriter> = {
  long: (b, at, v) => {
    b.writeInt32BE(8, at);
    return b.writeBigInt64BE(typeof v === 'bigint' ? v : BigInt(v as number), at + 4);
  },
  double: (b, at, v) => {
    b.writeInt32BE(8, at);
    return b.writeDoubleBE(Number(v), at + 4);
  },
  boolean: (b, at, v) => {
    b.writeInt32BE(1, at);
    return b.writeUInt8(v ? 1 : 0, at + 4);
  },
  timestamp: (b, at, v) => {
    const ms = v instanceof Date ? v.getTime() : Number(v);
    b.writeInt32BE(8, at);
    return b.writeBigInt64BE(BigInt(ms - PG_EPOCH_MS) * 1000n, at + 4);
  },
  string: (b, at, v) => writeText(b, at, asText(v)),
  // jsonb's binary form: a version byte (1), then the JSON text.
  array: (b, at, v) => writeText(b, at, json(v), 1),
  struct: (b, at, v) => writeText(b, at, json(v), 1),
  any: (b, at, v) => writeText(b, at, json(v), 1),
};

/** The most bytes a value can take: fixed for numbers, 3 bytes per UTF-16 unit for text (+ the jsonb version byte). */
function maxBytes(type: ColumnType, value: Value): number {
  if (type === 'string') return 4 + 3 * (typeof value === 'string' ? value.length : asText(value).length);
  if (type === 'array' || type === 'struct' || type === 'any') return 5 + 3 * json(value).length;
  return 12;
}

/** Rows as COPY binary, in chunks of about 64 KiB (a row larger than that gets a chunk of its own). */
export function* copyBinaryChunks(rows: readonly Row[], columns: CopyColumns): Generator<Buffer> {
  const { names, types } = columns;
  const write = types.map((t) => writers[t]);
  const fixed = types.every((t) => t === 'long' || t === 'double' || t === 'boolean' || t === 'timestamp');
  const width = names.length;
  let buffer = Buffer.allocUnsafe(CHUNK);
  HEADER.copy(buffer, 0);
  let at = HEADER.length;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    let need = 2;
    if (fixed) need += 12 * width;
    else for (let c = 0; c < width; c++) need += row[names[c]] == null ? 4 : maxBytes(types[c], row[names[c]]!);
    if (at + need > buffer.length) {
      yield buffer.subarray(0, at);
      buffer = Buffer.allocUnsafe(Math.max(CHUNK, need + 2));
      at = 0;
    }
    at = buffer.writeInt16BE(width, at);
    for (let c = 0; c < width; c++) {
      const value = row[names[c]];
      at = value === null || value === undefined ? buffer.writeInt32BE(-1, at) : write[c](buffer, at, value);
    }
  }
  if (at + 2 > buffer.length) {
    yield buffer.subarray(0, at);
    buffer = Buffer.allocUnsafe(2);
    at = 0;
  }
  at = buffer.writeInt16BE(-1, at);
  yield buffer.subarray(0, at);
}
