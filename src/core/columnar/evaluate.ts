/** Expressions over columnar batches: the vectorized evaluator when it applies, the row closure per row otherwise. */
import type { Row, Value } from '../row.js';
import type { ColumnBatch } from './column-batch.js';
import type { Vector } from './vector.js';

/** What an operator holds of a compiled expression (core/expr's CompiledExpression). */
export interface ColumnarExpression {
  evaluate(row: Row): Value;
  vector?: (batch: ColumnBatch) => Vector | undefined;
}

/** The expression's values at the batch's selected positions, as a vector of the batch's capacity. */
export function evaluateVector(expression: ColumnarExpression, batch: ColumnBatch): Vector {
  const vector = expression.vector?.(batch);
  if (vector) return vector;
  const rows = batch.rows();
  const values: Value[] = new Array(batch.capacity);
  for (let k = 0; k < rows.length; k++) values[batch.position(k)] = expression.evaluate(rows[k]);
  return { kind: 'values', values };
}

/** The positions of the rows for which the condition is true (null counts as false): filter's selection vector. */
export function selectWhere(condition: ColumnarExpression, batch: ColumnBatch): Int32Array {
  const n = batch.length;
  const kept = new Int32Array(n);
  let count = 0;
  const vector = condition.vector?.(batch);
  if (vector?.kind === 'boolean') {
    const { values, valid } = vector;
    for (let k = 0; k < n; k++) {
      const i = batch.position(k);
      if (values[i] === 1 && (valid === undefined || (valid[i >> 3] & (1 << (i & 7))) !== 0)) kept[count++] = i;
    }
  } else {
    const rows = batch.rows();
    for (let k = 0; k < n; k++) if (condition.evaluate(rows[k]) === true) kept[count++] = batch.position(k);
  }
  return kept.subarray(0, count);
}
