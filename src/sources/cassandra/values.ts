import cassandra from 'cassandra-driver';
import type { Value } from '../../core/row.js';
import type { ColumnType } from '../../core/schema.js';
import { cqlTypeName, type CqlType } from '../../connectors/cassandra/cql-types.js';

const { dataTypes } = cassandra.types;
const d = dataTypes;

/** Which CQL types a column of each streamlab type can be read from (anything can be read as `any`). */
const READS: Record<ColumnType, readonly number[]> = {
  string: [
    d.text,
    d.varchar,
    d.ascii,
    d.uuid,
    d.timeuuid,
    d.inet,
    d.date,
    d.time,
    d.duration,
    d.varint,
    d.decimal,
    d.bigint,
    d.int,
    d.smallint,
    d.tinyint,
  ],
  long: [d.bigint, d.counter, d.int, d.smallint, d.tinyint, d.varint, d.timestamp],
  double: [d.double, d.float, d.decimal, d.bigint, d.counter, d.int, d.smallint, d.tinyint, d.varint],
  boolean: [d.boolean],
  timestamp: [d.timestamp, d.date],
  array: [d.list, d.set, d.tuple],
  struct: [d.map, d.udt],
  any: [],
};

/** Why a CQL column cannot be read as streamlab type `as`, or undefined if it can. */
export function readIncompatibility(type: CqlType, as: ColumnType): string | undefined {
  if (as === 'any' || READS[as].includes(type.code)) return undefined;
  const fits = (Object.keys(READS) as ColumnType[]).filter((t) => t !== 'any' && READS[t].includes(type.code));
  return `a ${cqlTypeName(type)} column cannot be read as ${as}${fits.length ? ` (read it as ${fits.join(' or ')}, or any)` : ' (read it as any)'}`;
}

/** The driver's value of a column -> a streamlab value of type `as` (null stays null). */
export type Decoder = (value: unknown) => Value;

/**
 * One decoder per column. The driver gives Long for bigint/counter, Integer for varint, BigDecimal for decimal,
 * Uuid, InetAddress, LocalDate, LocalTime, Duration objects: rows hold plain numbers (bigint past 2^53), strings
 * and Dates instead. A `date` read as a timestamp is midnight UTC of that day.
 */
export function decoderFor(type: CqlType, as: ColumnType): Decoder {
  switch (as) {
    case 'string':
      return (v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : String(v));
    case 'long':
      return (v) => (v === null || v === undefined ? null : v instanceof Date ? v.getTime() : integer(v));
    case 'double':
      return (v) => (v === null || v === undefined ? null : typeof v === 'number' ? v : Number(String(v)));
    case 'timestamp':
      return type.code === d.date
        ? (v) => (v instanceof cassandra.types.LocalDate ? new Date(Date.UTC(v.year, v.month - 1, v.day)) : null)
        : (v) => (v instanceof Date ? v : null);
    default:
      return generic;
  }
}

function integer(v: unknown): number | bigint {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  // Long (bigint, counter) and Integer (varint): exact through their decimal text.
  const big = BigInt(String(v));
  return Number.isSafeInteger(Number(big)) ? Number(big) : big;
}

/** Any driver value as a streamlab value: collections, tuples, maps and UDTs recursively. */
export function generic(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof Date) return v;
  if (v instanceof cassandra.types.Long || v instanceof cassandra.types.Integer) return integer(v);
  if (v instanceof cassandra.types.BigDecimal) return v.toNumber();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (v instanceof cassandra.types.Tuple) return v.values().map(generic);
  if (Array.isArray(v)) return v.map(generic);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, item]) => [String(k), generic(item)]));
  if (v instanceof Set) return [...v].map(generic);
  const prototype = Object.getPrototypeOf(v);
  if (prototype === Object.prototype || prototype === null) {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, item]) => [k, generic(item)]));
  }
  // Uuid, TimeUuid, InetAddress, LocalDate, LocalTime, Duration: their text form.
  return String(v);
}
