import { z } from 'zod';
import { defineSource } from '../component/definition.js';
import type { ColumnBatch } from '../core/columnar/column-batch.js';
import type { Offset, Row } from '../core/row.js';
import type { Source, SourceContext } from '../core/source.js';
import { RATE_SCHEMA, rateColumns } from './rate-schema.js';
import { float64Array } from '../core/columnar/parallel/shared-arrays.js';

const options = z.strictObject({
  rowsPerBatch: z.number().int().positive().describe('Rows in every micro-batch, whatever the wall clock says.'),
  startTimestamp: z.number().int().nonnegative().default(0).describe('Event time of the first batch, epoch ms.'),
  advanceMillisPerBatch: z.number().int().nonnegative().default(1000).describe('How far event time moves per batch, ms.'),
});

/**
 * Spark's `rate-micro-batch` source: a fixed number of rows per batch, not tied to the clock, so it runs as fast as
 * the query can go (benchmarks) and is exactly reproducible (tests). All rows of batch b share the event time
 * startTimestamp + b * advanceMillisPerBatch. The offset is the number of rows produced. A query's maxRowsPerBatch
 * smaller than rowsPerBatch splits each of these batches into smaller ones; a row's event time stays that of the
 * rowsPerBatch batch it belongs to, so the rows are the same whatever the split.
 */
export class RateMicroBatchSource implements Source {
  readonly replayable = true;
  readonly schema = RATE_SCHEMA;
  readonly description: string;
  private maxRowsPerBatch = Infinity;

  constructor(
    private readonly rowsPerBatch: number,
    private readonly startTimestamp: number,
    private readonly advanceMillisPerBatch: number,
  ) {
    this.description = `RatePerMicroBatchStream(rowsPerBatch=${rowsPerBatch}, startTimestamp=${startTimestamp}, advanceMillisPerBatch=${advanceMillisPerBatch})`;
  }

  async open(context: SourceContext) {
    this.maxRowsPerBatch = context.maxRowsPerBatch ?? Infinity;
  }

  latestOffset(start: Offset | null): Offset {
    return ((start as number | null) ?? 0) + Math.min(this.rowsPerBatch, this.maxRowsPerBatch);
  }

  getBatch(start: Offset | null, end: Offset): Row[] {
    return this.getColumns(start, end).rows();
  }

  /** The batch as a `timestamp` and a `value` vector; rows built from it share one Date per rowsPerBatch batch. */
  getColumns(start: Offset | null, end: Offset): ColumnBatch {
    const from = (start as number | null) ?? 0;
    const to = end as number;
    const timestamps = float64Array(to - from);
    const values = float64Array(to - from);
    for (let v = from; v < to; ) {
      const batch = Math.floor(v / this.rowsPerBatch);
      const timestamp = this.startTimestamp + batch * this.advanceMillisPerBatch;
      for (const stop = Math.min(to, (batch + 1) * this.rowsPerBatch); v < stop; v++) {
        timestamps[v - from] = timestamp;
        values[v - from] = v;
      }
    }
    return rateColumns(timestamps, values);
  }

  async stop(): Promise<void> {}
}

export const rateMicroBatchSource = defineSource({
  type: 'rate-micro-batch',
  summary:
    "Spark's rate-micro-batch source: rowsPerBatch rows per batch as fast as the query runs, event time advancing per batch. Replayable.",
  options,
  examples: [{ rowsPerBatch: 100000 }, { rowsPerBatch: 10, startTimestamp: 1700000000000, advanceMillisPerBatch: 60000 }],
  create: (o) => new RateMicroBatchSource(o.rowsPerBatch, o.startTimestamp, o.advanceMillisPerBatch),
});
