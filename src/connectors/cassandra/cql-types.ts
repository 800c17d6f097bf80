import { isIP } from 'node:net';
import cassandra from 'cassandra-driver';
import type { Value } from '../../core/row.js';
import type { ColumnType } from '../../core/schema.js';

const { dataTypes } = cassandra.types;

/** A column type as the driver's metadata describes it. */
export interface CqlType {
  code: number;
  info?: unknown;
  options?: { frozen?: boolean };
}

/** Thrown by a converter for one value: `reason` is appended to "batch N, row R, column C: ". */
export class ValueError extends Error {}

const SIMPLE_NAMES: Record<number, string> = {
  [dataTypes.ascii]: 'ascii',
  [dataTypes.bigint]: 'bigint',
  [dataTypes.blob]: 'blob',
  [dataTypes.boolean]: 'boolean',
  [dataTypes.counter]: 'counter',
  [dataTypes.decimal]: 'decimal',
  [dataTypes.double]: 'double',
  [dataTypes.float]: 'float',
  [dataTypes.int]: 'int',
  [dataTypes.text]: 'text',
  [dataTypes.timestamp]: 'timestamp',
  [dataTypes.uuid]: 'uuid',
  [dataTypes.varchar]: 'text',
  [dataTypes.varint]: 'varint',
  [dataTypes.timeuuid]: 'timeuuid',
  [dataTypes.inet]: 'inet',
  [dataTypes.date]: 'date',
  [dataTypes.time]: 'time',
  [dataTypes.smallint]: 'smallint',
  [dataTypes.tinyint]: 'tinyint',
  [dataTypes.duration]: 'duration',
};

/** `bigint`, `list<text>`, `map<text, int>`, `frozen<address>`: the type as CQL writes it, for messages. */
export function cqlTypeName(type: CqlType): string {
  const simple = SIMPLE_NAMES[type.code];
  if (simple) return simple;
  const inner = (t: unknown) => cqlTypeName(t as CqlType);
  const frozen = (text: string) => (type.options?.frozen ? `frozen<${text}>` : text);
  switch (type.code) {
    case dataTypes.list:
      return frozen(`list<${inner(type.info)}>`);
    case dataTypes.set:
      return frozen(`set<${inner(type.info)}>`);
    case dataTypes.map: {
      const [key, value] = type.info as CqlType[];
      return frozen(`map<${inner(key)}, ${inner(value)}>`);
    }
    case dataTypes.tuple:
      return `tuple<${(type.info as CqlType[]).map(inner).join(', ')}>`;
    case dataTypes.udt:
      return frozen((type.info as { name: string }).name);
    default:
      return typeof type.info === 'string' ? `'${type.info}'` : `custom type ${type.code}`;
  }
}

/**
 * Which streamlab column types each CQL type can hold (besides `any`, whose values are checked one by one).
 * Narrower integers (int, smallint, tinyint) accept long columns: every value is range-checked before anything of
 * the batch is written. Types no row value can fill (blob, counter, time, duration, custom) have no entry.
 */
const HOLDS: Record<number, readonly ColumnType[]> = {
  [dataTypes.ascii]: ['string'],
  [dataTypes.text]: ['string'],
  [dataTypes.varchar]: ['string'],
  [dataTypes.uuid]: ['string'],
  [dataTypes.timeuuid]: ['string'],
  [dataTypes.inet]: ['string'],
  [dataTypes.bigint]: ['long'],
  [dataTypes.int]: ['long'],
  [dataTypes.smallint]: ['long'],
  [dataTypes.tinyint]: ['long'],
  [dataTypes.varint]: ['long'],
  [dataTypes.decimal]: ['long', 'double'],
  [dataTypes.double]: ['long', 'double'],
  [dataTypes.float]: ['long', 'double'],
  [dataTypes.boolean]: ['boolean'],
  [dataTypes.timestamp]: ['timestamp', 'long'],
  [dataTypes.date]: ['timestamp'],
  [dataTypes.list]: ['array'],
  [dataTypes.set]: ['array'],
  [dataTypes.tuple]: ['array'],
  [dataTypes.map]: ['struct'],
  [dataTypes.udt]: ['struct'],
};

/** Why a column of streamlab type `from` cannot go into a CQL column of type `to`, or undefined if it can. */
export function incompatibility(from: ColumnType, to: CqlType): string | undefined {
  if (to.code === dataTypes.counter) {
    return 'a counter column cannot be written with INSERT (only UPDATE ... SET c = c + n); write to a table without counters';
  }
  const holds = HOLDS[to.code];
  if (!holds) return `streamlab has no values for ${cqlTypeName(to)} columns`;
  if (from === 'any' || holds.includes(from)) return undefined;
  return `a ${from} column cannot fill a ${cqlTypeName(to)} column (it takes ${holds.join(' or ')} values)`;
}

/** A row value -> what the driver encodes for the CQL type; throws ValueError with the reason. Never called with null. */
export type Converter = (value: Value) => unknown;

const INT_RANGES: Record<number, [number, number]> = {
  [dataTypes.int]: [-2147483648, 2147483647],
  [dataTypes.smallint]: [-32768, 32767],
  [dataTypes.tinyint]: [-128, 127],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const show = (value: Value): string => {
  const text =
    value instanceof Date
      ? Number.isNaN(value.getTime())
        ? 'an invalid date'
        : value.toISOString()
      : typeof value === 'bigint' || (typeof value === 'number' && !Number.isFinite(value))
        ? `${value}` // JSON.stringify would show NaN and the infinities as null
        : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const fail = (value: Value, expected: string): never => {
  throw new ValueError(`${show(value)} is not ${expected}`);
};

/**
 * The converter for one CQL type. Values of the declared streamlab types pass through almost untouched (the
 * driver encodes numbers, strings and Dates itself); each is still checked, because an `any` column may hold
 * anything, and a value the driver refused would surface only after part of the batch was written.
 */
export function converterFor(type: CqlType): Converter {
  switch (type.code) {
    case dataTypes.text:
    case dataTypes.varchar:
      return (v) => (typeof v === 'string' ? v : fail(v, 'a string'));
    case dataTypes.ascii:
      return (v) => (typeof v === 'string' && isAscii(v) ? v : fail(v, 'an ASCII string'));
    case dataTypes.bigint:
      return (v) => {
        if (typeof v === 'number' && Number.isInteger(v)) return v;
        if (typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX) return cassandra.types.Long.fromString(v.toString());
        return fail(v, 'a 64-bit integer');
      };
    case dataTypes.int:
    case dataTypes.smallint:
    case dataTypes.tinyint: {
      const [min, max] = INT_RANGES[type.code];
      const name = cqlTypeName(type);
      return (v) => {
        const n = typeof v === 'bigint' ? Number(v) : v;
        if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
        return fail(v, `an integer in the range of ${name} (${min}..${max})`);
      };
    }
    case dataTypes.varint:
      return (v) => {
        if (typeof v === 'number' && Number.isInteger(v)) return v;
        if (typeof v === 'bigint') return cassandra.types.Integer.fromString(v.toString());
        return fail(v, 'an integer');
      };
    case dataTypes.decimal:
      return (v) => {
        if (typeof v === 'number' && Number.isFinite(v)) return v;
        if (typeof v === 'bigint') return cassandra.types.BigDecimal.fromString(v.toString());
        return fail(v, 'a finite number');
      };
    case dataTypes.double:
    case dataTypes.float:
      return (v) => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : fail(v, 'a number'));
    case dataTypes.boolean:
      return (v) => (typeof v === 'boolean' ? v : fail(v, 'a boolean'));
    case dataTypes.timestamp:
      return (v) => {
        if (v instanceof Date && !Number.isNaN(v.getTime())) return v;
        if (typeof v === 'number' && Number.isInteger(v)) return v; // epoch milliseconds
        return fail(v, 'a timestamp (or epoch milliseconds)');
      };
    case dataTypes.date:
      return (v) => {
        if (!(v instanceof Date) || Number.isNaN(v.getTime())) return fail(v, 'a timestamp');
        // The UTC calendar day: the driver's own Date -> LocalDate would use the local time zone.
        return new cassandra.types.LocalDate(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
      };
    case dataTypes.uuid:
      return (v) => (typeof v === 'string' && UUID.test(v) ? v : fail(v, 'a UUID such as 123e4567-e89b-42d3-a456-426614174000'));
    case dataTypes.timeuuid:
      return (v) => (typeof v === 'string' && UUID.test(v) && v[14] === '1' ? v : fail(v, 'a time-based (version 1) UUID'));
    case dataTypes.inet:
      return (v) => (typeof v === 'string' && isIP(v) !== 0 ? v : fail(v, 'an IPv4 or IPv6 address'));
    case dataTypes.list:
    case dataTypes.set: {
      const element = converterFor(type.info as CqlType);
      const name = cqlTypeName(type);
      return (v) =>
        Array.isArray(v)
          ? v.map((item) => (item === null ? fail(item, `an element of ${name} (no nulls)`) : element(item)))
          : fail(v, `an array (for ${name})`);
    }
    case dataTypes.tuple: {
      const elements = (type.info as CqlType[]).map(converterFor);
      const name = cqlTypeName(type);
      return (v) => {
        if (!Array.isArray(v) || v.length !== elements.length) return fail(v, `an array of ${elements.length} values (for ${name})`);
        return cassandra.types.Tuple.fromArray(v.map((item, i) => (item === null ? null : elements[i](item))));
      };
    }
    case dataTypes.map: {
      const [keyType, valueType] = type.info as CqlType[];
      const key = converterFor(keyType);
      const value = converterFor(valueType);
      const name = cqlTypeName(type);
      return (v) => {
        if (!isObject(v)) return fail(v, `an object (for ${name})`);
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(v))
          out[key(k) as string] = item === null ? fail(item, `a value of ${name} (no nulls)`) : value(item);
        return out;
      };
    }
    case dataTypes.udt: {
      const { name, fields } = type.info as { name: string; fields: Array<{ name: string; type: CqlType }> };
      const converters = fields.map((f) => [f.name, converterFor(f.type)] as const);
      return (v) => {
        if (!isObject(v)) return fail(v, `an object (for type ${name})`);
        const out: Record<string, unknown> = {};
        for (const [field, convert] of converters) {
          const item = v[field];
          out[field] = item === null || item === undefined ? null : convert(item);
        }
        return out;
      };
    }
    default:
      return (v) => fail(v, `writable into ${cqlTypeName(type)}`);
  }
}

function isObject(v: Value): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** The CQL type `create` gives a column of each streamlab type; array, struct and any need an explicit type. */
export const INFERRED_TYPES: Partial<Record<ColumnType, string>> = {
  string: 'text',
  long: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
};

/** CQL ascii: every character in U+0000..U+007F (control characters included). */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
