import { z } from 'zod';
import { defineSource } from '../component/definition.js';
import type { Offset, Row } from '../core/row.js';
import type { Source } from '../core/source.js';
import { RATE_SCHEMA } from './rate-schema.js';

const options = z.strictObject({
  rowsPerBatch: z.number().int().positive().describe('Rows in every micro-batch, whatever the wall clock says.'),
  startTimestamp: z.number().int().nonnegative().default(0).describe('Event time of the first batch, epoch ms.'),
  advanceMillisPerBatch: z.number().int().nonnegative().default(1000).describe('How far event time moves per batch, ms.'),
});

/**
 * Spark's `rate-micro-batch` source: a fixed number of rows per batch, not tied to the clock, so it runs as fast as
 * the query can go (benchmarks) and is exactly reproducible (tests). All rows of batch b share the event time
 * startTimestamp + b * advanceMillisPerBatch. The offset is the number of rows produced.
 */
export class RateMicroBatchSource implements Source {
  readonly replayable = true;
  readonly schema = RATE_SCHEMA;
  readonly description: string;

  constructor(
    private readonly rowsPerBatch: number,
    private readonly startTimestamp: number,
    private readonly advanceMillisPerBatch: number,
  ) {
    this.description = `RatePerMicroBatchStream(rowsPerBatch=${rowsPerBatch}, startTimestamp=${startTimestamp}, advanceMillisPerBatch=${advanceMillisPerBatch})`;
  }

  async open() {}

  latestOffset(start: Offset | null): Offset {
    return ((start as number | null) ?? 0) + this.rowsPerBatch;
  }

  getBatch(start: Offset | null, end: Offset): Row[] {
    const from = (start as number | null) ?? 0;
    const to = end as number;
    const rows: Row[] = new Array(to - from);
    // One Date per batch: every row of the batch has the same event time, and nothing mutates rows' values.
    const timestamp = new Date(this.startTimestamp + Math.floor(from / this.rowsPerBatch) * this.advanceMillisPerBatch);
    for (let v = from; v < to; v++) rows[v - from] = { timestamp, value: v };
    return rows;
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
