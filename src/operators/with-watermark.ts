import { map } from 'rxjs';
import { z } from 'zod';
import { defineOperator, type ColumnInfo } from '../component/definition.js';
import { durationOption } from '../component/options.js';
import { formatDuration } from '../core/duration.js';
import type { ColumnBatch } from '../core/columnar/column-batch.js';
import { columnsOf } from '../core/columnar/micro-batch.js';
import { isValid } from '../core/columnar/vector.js';
import { withHooks, type EventTimeStats, type MicroBatch, type WatermarkOperator } from '../core/operator.js';
import type { Row } from '../core/row.js';
import { eventTimeColumn } from './event-time.js';

const options = z.strictObject({
  column: z.string().min(1).describe('The event-time column, a timestamp (e.g. `timestamp`).'),
  delay: durationOption(
    'How late a row may be and still count: the watermark is the latest event time seen minus this delay (Spark: delayThreshold), e.g. `10 minutes`.',
  ),
});

/**
 * Tracks the event times of one batch (Spark's EventTimeStatsAccum). Rows pass through unchanged: withWatermark
 * only declares the event-time column and its delay; stateful operators after it drop late rows and evict state.
 */
export class EventTimeTracker implements WatermarkOperator {
  private current: EventTimeStats | undefined;

  constructor(
    readonly column: string,
    readonly delayMs: number,
  ) {}

  stats(): EventTimeStats | undefined {
    return this.current;
  }

  /** Replaces the statistics with those of the batch: from its timestamp vector when it has one, else its rows. */
  observeBatch(batch: MicroBatch): void {
    const columns = columnsOf(batch);
    const vector = columns?.vector(this.column);
    if (columns && vector?.kind === 'timestamp') this.observeVector(columns, vector.values, vector.valid);
    else this.observe(batch.rows);
  }

  /** Replaces the statistics with those of `rows` (a new batch); rows without a valid timestamp are not counted. */
  observe(rows: Row[]): void {
    const column = this.column;
    this.current = eventTimeStats(rows.length, (k) => {
      const value = rows[k][column];
      return value instanceof Date ? value.getTime() : Number.NaN;
    });
  }

  /** observe() over the selected positions of a timestamp vector: the same statistics, no row built. */
  private observeVector(columns: ColumnBatch, values: Float64Array, valid: Uint8Array | undefined): void {
    this.current = eventTimeStats(columns.length, (k) => {
      const i = columns.position(k);
      return isValid(valid, i) ? values[i] : Number.NaN;
    });
  }
}

/** Min, max, sum and count of the n times `timeAt` gives (NaN: no time), or undefined when there are none. */
function eventTimeStats(n: number, timeAt: (k: number) => number): EventTimeStats | undefined {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const t = timeAt(k);
    if (Number.isNaN(t)) continue;
    if (t < min) min = t;
    if (t > max) max = t;
    sum += t;
    count++;
  }
  return count > 0 ? { min, max, sum, count } : undefined;
}

/**
 * Spark's `withWatermark(column, delay)`. After each batch the engine sets the watermark for the next batch to
 * max(event time seen) - delay, never lower than before (also across restarts: it is kept in the checkpoint).
 * Stateful operators use it: groupBy emits windows (append) and forgets them once the watermark passes their end,
 * and ignores rows for windows already behind it; dropDuplicates forgets old keys.
 */
export const withWatermarkOperator = defineOperator({
  type: 'withWatermark',
  summary:
    'Declares the event-time column and how late rows may arrive; the watermark (max event time - delay) lets groupBy finish windows and drop late rows (Spark: withWatermark).',
  options,
  examples: [
    { column: 'timestamp', delay: '10 minutes' },
    { column: 'eventTime', delay: '30s' },
  ],
  create({ column, delay }, context) {
    eventTimeColumn(column, context, 'column');
    const delayMs = delay;
    const tracker = new EventTimeTracker(column, delayMs);
    const columns = new Map<string, ColumnInfo>(context.columns ?? []);
    columns.set(column, { ...columns.get(column), watermarkDelayMs: delayMs });
    return {
      operator: withHooks(
        map((batch) => {
          tracker.observeBatch(batch);
          return batch;
        }),
        { watermark: tracker },
      ),
      schema: context.input,
      description: `EventTimeWatermark ${column}, delay ${formatDuration(delayMs)}`,
      columns,
      facts: { kind: 'watermark', column },
      notes: [
        `watermark = latest ${column} seen - ${formatDuration(delayMs)}; computed after each batch, used by the next, never moves back`,
      ],
    };
  },
});
