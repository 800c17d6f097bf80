import type { Vector } from '../../core/columnar/vector.js';
import { valueAt } from '../../core/columnar/vector.js';
import type { Row, Value } from '../../core/row.js';
import type { Column } from '../../core/schema.js';
import { type ColumnArray, columnValues, setInt64 } from './encode.js';

/**
 * One column of a columnar batch, at the given physical positions, as the writer takes it (see columnValues): numbers
 * and timestamps without nulls go straight from the Float64Array to the writer's typed array, without a row or a
 * boxed value per row (the reason a columnar batch writes at pyarrow's pace: docs/pyspark-bench.md). Anything else
 * (nulls, strings, a long that is not a whole number) goes through columnValues on one-column rows, so the values
 * and the error messages are exactly the row path's.
 */
export function vectorColumnValues(column: Column, vector: Vector, positions: Int32Array): ColumnArray {
  const fast =
    (vector.kind === 'number' || vector.kind === 'timestamp') && vector.valid === undefined
      ? typedColumn(column, vector, positions)
      : undefined;
  if (fast) return fast;
  const rows: Row[] = new Array(positions.length);
  let previous: Value = null;
  for (let k = 0; k < positions.length; k++) {
    const value = valueAt(vector, positions[k], previous);
    previous = value;
    rows[k] = { [column.name]: value };
  }
  return columnValues(column, rows);
}

function typedColumn(
  column: Column,
  vector: Extract<Vector, { kind: 'number' | 'timestamp' }>,
  positions: Int32Array,
): ColumnArray | undefined {
  const { values } = vector;
  const n = positions.length;
  if (column.type === 'double' && vector.kind === 'number') {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = values[positions[k]];
    return out;
  }
  const whole = (column.type === 'long' && vector.kind === 'number') || (column.type === 'timestamp' && vector.kind === 'timestamp');
  if (!whole) return undefined;
  const scale = column.type === 'timestamp' ? 1000 : 1; // microseconds in the file, milliseconds in the vector
  const typed = new BigInt64Array(n);
  const words = new Int32Array(typed.buffer);
  for (let k = 0; k < n; k++) {
    const v = values[positions[k]] * scale;
    if (!Number.isSafeInteger(v)) return undefined;
    setInt64(typed, words, k, v);
  }
  return typed;
}
