import { map, type OperatorFunction } from 'rxjs';
import type { Row } from './row.js';

/** One micro-batch as it flows through the operators. */
export interface MicroBatch {
  batchId: number;
  rows: Row[];
  /** Event-time watermark in epoch ms, computed at the end of the previous batch (Spark's rule); 0 when none. */
  watermarkMs: number;
  /** When the batch was planned, epoch ms (Spark's batchTimestampMs; `current_timestamp()` within a batch). */
  batchTimestampMs: number;
}

/**
 * An operator is an RxJS operator over micro-batches. Working on arrays per batch, not one `next()` per row,
 * keeps the per-row cost near a plain loop.
 */
export type BatchOperator = OperatorFunction<MicroBatch, MicroBatch>;

/** Builds a stateless operator from a function over the rows of one batch. */
export function mapRows(transform: (rows: Row[], batch: MicroBatch) => Row[]): BatchOperator {
  return map((batch) => ({ ...batch, rows: transform(batch.rows, batch) }));
}
