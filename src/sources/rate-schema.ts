import { ColumnBatch } from '../core/columnar/column-batch.js';
import type { Schema } from '../core/schema.js';

/** The columns of Spark's rate sources (`rate` and `rate-micro-batch`): `timestamp`, then `value`. */
export const RATE_SCHEMA: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'value', type: 'long' },
];

/** A rate batch as columns: epoch-ms timestamps and values, in RATE_SCHEMA's order. */
export function rateColumns(timestamps: Float64Array, values: Float64Array): ColumnBatch {
  return new ColumnBatch(
    ['timestamp', 'value'],
    [
      { kind: 'timestamp', values: timestamps },
      { kind: 'number', values },
    ],
    values.length,
  );
}
