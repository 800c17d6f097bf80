/**
 * The columnar batch `foreachBatch(f, { columns: true })` hands to `f`: the engine's ColumnBatch (src/core/columnar),
 * typed by the stream's row type, with every column in the vector kind its schema type promises. The engine may
 * carry a number column as a plain array of values (an expression it could not vectorize), and a batch that reached
 * the sink as rows (after a row operator, from a source without columns) has no vectors at all: both are converted
 * here, once per batch, so a handler can read `columns.vector('tr').values` as a Float64Array whatever ran before.
 */
import { ColumnBatch } from '../core/columnar/column-batch.js';
import { allValid, setNull, type Vector, valueAt } from '../core/columnar/vector.js';
import type { Row, Value } from '../core/row.js';
import type { ColumnType, Schema } from '../core/schema.js';
import type { WindowValue } from './rows.js';

export type NumberVector = Extract<Vector, { kind: 'number' }>;
export type TimestampVector = Extract<Vector, { kind: 'timestamp' }>;
export type BooleanVector = Extract<Vector, { kind: 'boolean' }>;
export type WindowVector = Extract<Vector, { kind: 'window' }>;
export type DictionaryVector = Extract<Vector, { kind: 'dictionary' }>;
export type ValuesVector = Extract<Vector, { kind: 'values' }>;

/** The vector a column of row type V is given as (a `long`/`double` column is always a Float64Array, ...). */
export type VectorOf<V> = [V] extends [number | null]
  ? NumberVector
  : [V] extends [Date | null]
    ? TimestampVector
    : [V] extends [boolean | null]
      ? BooleanVector
      : [V] extends [string | null]
        ? DictionaryVector | ValuesVector
        : [V] extends [WindowValue | null]
          ? WindowVector | ValuesVector
          : Vector;

/**
 * A ColumnBatch whose column names and vector kinds follow the row type T. Row k of the batch is at physical
 * position `position(k)` of every vector (a filter narrows the selection, it does not move values).
 */
export interface Columns<T extends object> extends Omit<ColumnBatch, 'vector' | 'rows'> {
  vector<K extends keyof T & string>(name: K): VectorOf<T[K]>;
  /** The rows (built once, cached): the same rows `foreachBatch` without `columns` gets. */
  rows(): T[];
}

/** The vector kind each schema type is given as; other types keep what the engine made (or a values vector). */
const kindOf: Partial<Record<ColumnType, 'number' | 'timestamp' | 'boolean'>> = {
  long: 'number',
  double: 'number',
  timestamp: 'timestamp',
  boolean: 'boolean',
};

/** The engine's columns with each column in the kind its schema type promises (vectors already so are shared; no row is built). */
export function conformColumns(columns: ColumnBatch, schema: Schema): ColumnBatch {
  const vectors = columns.names.map((name, c) => {
    const vector = columns.vectors[c];
    const kind = kindOf[schema.find((column) => column.name === name)?.type ?? 'any'];
    if (!kind || vector.kind === kind) return vector;
    // Read at the selected positions only (the others may hold nothing): no row is built.
    const values = new Array<Value>(columns.capacity).fill(null);
    for (let k = 0; k < columns.length; k++) values[columns.position(k)] = valueAt(vector, columns.position(k));
    return typedVector(kind, values, name);
  });
  return columns.with(columns.names, vectors);
}

/** A ColumnBatch over rows (a batch that reached the sink as rows), its columns those of the schema, in order. */
export function columnsFromRows(rows: readonly Row[], schema: Schema): ColumnBatch {
  const names = schema.map((column) => column.name);
  const vectors = schema.map(({ name, type }): Vector => {
    const values = rows.map((row) => row[name] ?? null);
    const kind = kindOf[type];
    return kind ? typedVector(kind, values, name) : { kind: 'values', values };
  });
  return new ColumnBatch(names, vectors, rows.length);
}

/** Row values (nulls included; holes are positions outside the selection) as a typed vector of that kind. */
function typedVector(kind: 'number' | 'timestamp' | 'boolean', values: readonly Value[], column: string): Vector {
  const n = values.length;
  const valid = allValid(n);
  let nulls = 0;
  const typed = kind === 'boolean' ? new Uint8Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      setNull(valid, i);
      nulls++;
    } else typed[i] = scalar(kind, value, column);
  }
  const validity = nulls > 0 ? { valid } : {};
  if (kind === 'boolean') return { kind, values: typed as Uint8Array, ...validity };
  return { kind, values: typed as Float64Array, ...validity };
}

function scalar(kind: 'number' | 'timestamp' | 'boolean', value: Value, column: string): number {
  if (kind === 'number' && typeof value === 'number') return value;
  if (kind === 'timestamp' && value instanceof Date) return value.getTime();
  if (kind === 'boolean' && typeof value === 'boolean') return value ? 1 : 0;
  throw new TypeError(`foreachBatch columns: column '${column}' holds ${JSON.stringify(value)} where its schema promises a ${kind}`);
}
