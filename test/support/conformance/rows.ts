/**
 * The rows of the sink conformance suite: pure functions of their id, so a replay, a restart and the expected
 * content are all the same rows. Every row has its own time (`at`), a millisecond apart at least, because InfluxDB
 * keys a point by series and time.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { mapRows } from '../../../src/core/operator.js';
import type { Row, Value } from '../../../src/core/row.js';
import type { ColumnType, Schema } from '../../../src/core/schema.js';

export const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

/** `id` is the key of every target; `at` the time of every row (InfluxDB's point time). */
export const KEYED_SCHEMA: Schema = [
  { name: 'id', type: 'long' },
  { name: 'at', type: 'timestamp' },
  { name: 'name', type: 'string' },
  { name: 'value', type: 'double' },
];

export function keyedRow(id: number): Row {
  return { id, at: new Date(T0 + id * 1000 + (id % 7)), name: `row ${id}`, value: id * 0.25 - 3 };
}

/** Rows `from` .. `from + count - 1`. */
export const keyedRows = (from: number, count: number): Row[] => Array.from({ length: count }, (_, i) => keyedRow(from + i));

/**
 * The rate-micro-batch source (value = offset, so replayable) with each row turned into `keyedRow(value)`: the
 * rows a query writes, batch by batch, the same on a replay.
 */
export const keyedRowsOfRate = mapRows((rows) => rows.map((row) => keyedRow(row.value as number)));

/**
 * Values per column type for the every-type property: a plain one, edge cases (unicode, quotes, escapes, extremes,
 * empty collections), null, and another. Structs hold text values in key order, which every sink's store keeps
 * (a Cassandra map<text, text> sorts its keys).
 */
const VALUES: Record<Exclude<ColumnType, 'any'>, Value[]> = {
  string: ['plain', 'quotes \' " back\\slash, ✓ é 🌍', null, 'tab\there\nnew line'],
  long: [42, -9007199254740991, null, 0],
  double: [1.5, -2.25e-8, null, 1.7976931348623157e308],
  boolean: [true, false, null, true],
  timestamp: [new Date('2026-11-30T09:41:07.123Z'), new Date(0), null, new Date('1999-12-31T23:59:59.999Z')],
  array: [['a', 'b'], [], null, ['x ✓']],
  struct: [{ a: 'x', b: 'y' }, {}, null, { unit: 'C ✓' }],
};

/** The key, the time, and one column `c_<type>` per type in `types`. */
export function everyTypeSchema(types: readonly ColumnType[]): Schema {
  return [
    { name: 'id', type: 'long' },
    { name: 'at', type: 'timestamp' },
    ...types.filter((t) => t !== 'any').map((type) => ({ name: `c_${type}`, type })),
  ];
}

export function everyTypeRows(schema: Schema): Row[] {
  return [0, 1, 2, 3].map((i) => {
    const row: Row = { id: i, at: new Date(T0 + i * 1000 + 1) };
    for (const column of schema.slice(2)) row[column.name] = VALUES[column.type as keyof typeof VALUES][i];
    return row;
  });
}
