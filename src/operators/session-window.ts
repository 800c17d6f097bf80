import { z } from 'zod';
import { defineOperator, type ColumnInfo } from '../component/definition.js';
import { durationOption } from '../component/options.js';
import { formatDuration } from '../core/duration.js';
import { mapRows } from '../core/operator.js';
import type { Row } from '../core/row.js';
import { withColumn } from '../core/schema.js';
import { eventTimeColumn } from './event-time.js';

const options = z.strictObject({
  column: z.string().min(1).describe('The event-time column (a timestamp).'),
  gap: durationOption('Inactivity that closes a session (Spark: gapDuration), e.g. `10 seconds`.', { positive: true }),
  as: z.string().min(1).default('session_window').describe('Name of the `{ start, end }` column added.'),
});

/**
 * Spark's `session_window(column, gap)`: each row gets the session [t, t + gap). Sessions only take shape in a
 * groupBy that has this column among its keys: there, sessions of the same key that overlap are merged, so a session
 * ends `gap` after its last event. Rows whose event time is null are dropped.
 */
export const sessionWindowOperator = defineOperator({
  type: 'sessionWindow',
  summary:
    'Adds a session window { start, end } column: sessions per key close after a gap without events; groupBy merges them (Spark: session_window()).',
  options,
  examples: [
    { column: 'eventTime', gap: '10 seconds' },
    { column: 'timestamp', gap: '5 minutes', as: 'session' },
  ],
  create({ column, gap, as }, context) {
    eventTimeColumn(column, context, 'column');
    const gapMs = gap;
    const source = context.columns?.get(column);
    const columns = new Map<string, ColumnInfo>(context.columns ?? []);
    columns.set(as, {
      window: { kind: 'session', source: column, gapMs },
      ...(source?.watermarkDelayMs !== undefined ? { watermarkDelayMs: source.watermarkDelayMs } : {}),
    });
    return {
      operator: mapRows((rows) => {
        const out: Row[] = [];
        for (const row of rows) {
          const time = row[column];
          if (!(time instanceof Date) || Number.isNaN(time.getTime())) continue;
          out.push({ ...row, [as]: { start: time, end: new Date(time.getTime() + gapMs) } });
        }
        return out;
      }),
      schema: withColumn(context.input, { name: as, type: 'struct' }),
      description: `SessionWindow ${column}, gap ${formatDuration(gapMs)} -> ${as} { start, end }`,
      columns,
      notes: [`each row opens [${column}, ${column} + ${formatDuration(gapMs)}); groupBy merges a key's overlapping sessions`],
    };
  },
});
