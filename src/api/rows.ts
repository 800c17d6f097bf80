import type { Row, Value } from '../core/row.js';

/**
 * Typed rows: the TypeScript type of the rows at each point of a chain, where it can be followed. A column type as
 * written in a schema (`long`, `timestamp`, ...) maps to the value streamlab puts in a row; a `?` after it means the
 * column may be null. Where the columns cannot be known from the types alone, rows are `Row` (any columns).
 */
export interface ValueOf {
  string: string;
  long: number;
  double: number;
  boolean: boolean;
  timestamp: Date;
  array: Value[];
  struct: { [key: string]: Value };
  any: Value;
}

export type ColumnTypeName = keyof ValueOf;

/** `{ name: 'string', age: 'long?' }` -> `{ name: string; age: number | null }`. */
export type RowOfColumns<C> = {
  -readonly [K in keyof C]: C[K] extends `${infer T extends ColumnTypeName}?`
    ? ValueOf[T] | null
    : C[K] extends ColumnTypeName
      ? ValueOf[C[K]]
      : Value;
};

/**
 * The columns of the sources whose columns do not depend on their options, as their factories build them (a test
 * builds each and compares). Sources not listed here and without a `schema` option give `Row`.
 */
export const FIXED_COLUMNS = {
  rate: { timestamp: 'timestamp', value: 'long' },
  'rate-micro-batch': { timestamp: 'timestamp', value: 'long' },
  sine: { timestamp: 'timestamp', value: 'double' },
  system: { timestamp: 'timestamp', hostname: 'string', os: 'string', cpu_percent: 'double', mem_used_mb: 'double', mem_percent: 'double' },
  socket: { value: 'string' },
  kafka: {
    key: 'string?',
    value: 'string?',
    topic: 'string',
    partition: 'long',
    offset: 'long',
    timestamp: 'timestamp',
    timestampType: 'long',
  },
  sensor: { sensor_id: 'long', timestamp: 'timestamp', temperature: 'double', humidity: 'double' },
  devices: { timestamp: 'timestamp', id: 'string', antenna_id: 'string', app: 'string', bytes: 'long' },
  'device-users': { id: 'string', name: 'string', email: 'string', quota: 'long' },
} as const;

/**
 * Sources whose rows are exactly their `schema` option's columns, each of which may be null (a value that does not
 * parse, a NULL in a table). The parquet source adds its partition columns, so it is not one of them.
 */
export const SCHEMA_SOURCES = ['file', 'postgres', 'mysql', 'cassandra'] as const;

/** The row type of a source of type `T` built with options `O`. */
export type SourceRow<T extends string, O> = T extends keyof typeof FIXED_COLUMNS
  ? RowOfColumns<(typeof FIXED_COLUMNS)[T]>
  : T extends (typeof SCHEMA_SOURCES)[number]
    ? O extends { schema: infer S extends Record<string, ColumnTypeName> }
      ? O extends { columnNameOfCorruptRecord: infer C extends string }
        ? Nullable<RowOfColumns<S>> & { [K in C]: string | null }
        : Nullable<RowOfColumns<S>>
      : Row
    : Row;

type Nullable<R> = { [K in keyof R]: R[K] | null };

/** A window column's value (`window`, `sessionWindow`): Spark's struct<start, end>, end exclusive. */
export type WindowValue = { start: Date; end: Date };

/**
 * The row after `select(...items)`: a column name keeps its type, `expr as name` gives `name` (of the column's type
 * when `expr` is a column, else any value). An item that is neither gives `Row`: its name is the engine's to choose.
 */
export type SelectRow<T, Items extends readonly string[]> =
  false extends Named<T, Items[number]> ? Row : { [I in Items[number] as NameOf<I>]: TypeOf<T, I> };

type Named<T, I> = I extends `${string} as ${string}` ? true : I extends keyof T ? true : false;
type NameOf<I extends string> = I extends `${string} as ${infer N}` ? N : I;
type TypeOf<T, I extends string> = I extends `${infer E} as ${string}`
  ? E extends keyof T
    ? T[E]
    : Value
  : I extends keyof T
    ? T[I]
    : Value;

/** The columns a row type is known to have, for typo checks in verbs (any name when it is `Row`). */
export type ColumnOf<T> = string extends keyof T ? string : keyof T & string;
