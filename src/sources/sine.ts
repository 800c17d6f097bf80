import { z } from 'zod';
import { defineSource } from '../component/definition.js';
import { durationOption } from '../component/options.js';
import { ColumnBatch } from '../core/columnar/column-batch.js';
import type { Offset, Row } from '../core/row.js';
import type { Schema } from '../core/schema.js';
import type { Source, SourceContext } from '../core/source.js';
import { float64Array } from '../core/columnar/parallel/shared-arrays.js';

const options = z.strictObject({
  amplitude: z.number().default(50).describe('Peak value of the wave.'),
  increment: z.number().default(0.1).describe('Angle step in radians from one row to the next.'),
  interval: durationOption('Time between two rows.', { default: '1s', positive: true }),
});

const SINE_SCHEMA: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'value', type: 'double' },
];

/**
 * The course's sine generator: row n (from 0) has value = amplitude * sin(n * increment) and timestamp
 * start + n * interval. The offset is the number of rows due by now, so rows are a pure function of the offsets
 * and the start time kept in the checkpoint: replayable. A batch holds at most the query's maxRowsPerBatch rows.
 */
export class SineSource implements Source {
  readonly replayable = true;
  readonly schema = SINE_SCHEMA;
  readonly description: string;
  private startTimeMs = 0;
  private maxRowsPerBatch = Infinity;
  private context!: SourceContext;

  constructor(
    private readonly amplitude: number,
    private readonly increment: number,
    private readonly intervalMs: number,
  ) {
    this.description = `SineWave(amplitude=${amplitude}, increment=${increment}, intervalMs=${intervalMs})`;
  }

  async open(context: SourceContext) {
    this.context = context;
    const stored = context.metadata as { startTimeMs?: number } | undefined;
    this.startTimeMs = stored?.startTimeMs ?? context.scheduler.now();
    this.maxRowsPerBatch = context.maxRowsPerBatch ?? Infinity;
    return { metadata: { startTimeMs: this.startTimeMs } };
  }

  /** Rows due (at most maxRowsPerBatch past `start`): row n is due at start + n * interval, so row 0 at the start itself. */
  latestOffset(start: Offset | null = null): Offset {
    const elapsed = this.context.scheduler.now() - this.startTimeMs;
    const due = elapsed < 0 ? 0 : Math.floor(elapsed / this.intervalMs) + 1;
    return Math.min(due, ((start as number | null) ?? 0) + this.maxRowsPerBatch);
  }

  getBatch(start: Offset | null, end: Offset): Row[] {
    return this.getColumns(start, end).rows();
  }

  /** The batch as a `timestamp` and a `value` vector, filled straight from the formula (no row objects). */
  getColumns(start: Offset | null, end: Offset): ColumnBatch {
    const from = (start as number | null) ?? 0;
    const count = Math.max(0, (end as number) - from);
    const timestamps = float64Array(count);
    const values = float64Array(count);
    for (let k = 0; k < count; k++) {
      const n = from + k;
      timestamps[k] = this.startTimeMs + n * this.intervalMs;
      values[k] = this.amplitude * Math.sin(n * this.increment);
    }
    return new ColumnBatch(
      ['timestamp', 'value'],
      [
        { kind: 'timestamp', values: timestamps },
        { kind: 'number', values },
      ],
      count,
    );
  }

  async stop(): Promise<void> {}
}

export const sineSource = defineSource({
  type: 'sine',
  offsetIdentity: (o) => ({ interval: o.interval }),
  summary: "The course's sine-wave generator: value = amplitude * sin(n * increment), one row per interval. Replayable.",
  options,
  examples: [{}, { amplitude: 10, increment: 0.05, interval: '500ms' }],
  create: (o) => new SineSource(o.amplitude, o.increment, o.interval),
});
