/**
 * The event-time operators on their own (window alignment, session windows, withWatermark's statistics) and the
 * output-mode rules, without running a query.
 */
import assert from 'node:assert/strict';
import { lastValueFrom, of } from 'rxjs';
import { describe, it } from 'node:test';
import { codeContext } from '../../src/api/build.js';
import type { ColumnInfos } from '../../src/component/definition.js';
import type { BatchOperator } from '../../src/core/operator.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import { checkOutputMode, type PlanOperator } from '../../src/core/state/output-mode-check.js';
import { windowStarts } from '../../src/operators/event-time.js';
import { sessionWindowOperator } from '../../src/operators/session-window.js';
import { windowOperator } from '../../src/operators/window.js';
import { withWatermarkOperator } from '../../src/operators/with-watermark.js';

const schema: Schema = [
  { name: 't', type: 'timestamp' },
  { name: 'v', type: 'long' },
];
const context = (columns?: ColumnInfos) => ({ ...codeContext('test'), input: schema, columns });
const run = async (operator: BatchOperator, rows: Row[]): Promise<Row[]> =>
  (await lastValueFrom(operator(of({ batchId: 0, rows, watermarkMs: 0, batchTimestampMs: 0 })))).rows;
const at = (iso: string) => new Date(iso);
const span = (r: Row, c = 'window') => {
  const w = r[c] as { start: Date; end: Date };
  return `${w.start.toISOString().slice(11, 19)}-${w.end.toISOString().slice(11, 19)}`;
};

describe('window', () => {
  it('aligns windows to the epoch, oldest first, end exclusive (Spark: start at multiples of the slide)', () => {
    assert.deepEqual(windowStarts(12, 10, 5), [5, 10]);
    assert.deepEqual(windowStarts(10, 10, 5), [5, 10], 'a time on a boundary opens the window starting there');
    assert.deepEqual(windowStarts(12, 5, 5), [10]);
    assert.deepEqual(windowStarts(12, 10, 3), [3, 6, 9, 12], 'a slide that does not divide the size');
    assert.deepEqual(windowStarts(-3, 5, 5), [-5], 'before 1970 too');
    assert.deepEqual(windowStarts(7, 10, 4), [0, 4]);
  });

  it('sliding: one row per window, sharing one struct per window; null times dropped', async () => {
    const built = windowOperator.create(
      windowOperator.options.parse({ column: 't', size: '10 minutes', slide: '5 minutes', as: 'window' }),
      context(),
    );
    const rows = await run(built.operator, [
      { t: at('2024-05-01T12:07:30Z'), v: 1 },
      { t: null, v: 2 },
      { t: at('2024-05-01T12:09:00Z'), v: 3 },
    ]);
    assert.deepEqual(
      rows.map((r) => `${r.v} ${span(r)}`),
      ['1 12:00:00-12:10:00', '1 12:05:00-12:15:00', '3 12:00:00-12:10:00', '3 12:05:00-12:15:00'],
    );
    assert.equal(rows[0].window, rows[2].window, 'rows of one window share its struct');
    assert.deepEqual(built.schema.at(-1), { name: 'window', type: 'struct' });
    assert.match(built.description, /TimeWindow t, 10m sliding every 5m -> window/);
  });

  it('refuses a slide longer than the size and a column that is not a timestamp', () => {
    assert.throws(
      () => windowOperator.create(windowOperator.options.parse({ column: 't', size: '5s', slide: '10s', as: 'window' }), context()),
      /slide \(10s\) must not be longer than the size \(5s\)/,
    );
    assert.throws(
      () => windowOperator.create(windowOperator.options.parse({ column: 'v', size: '5s', as: 'window' }), context()),
      /'v' is long, not a timestamp/,
    );
  });

  it('carries the watermark of its column, so groupBy can finish windows', () => {
    const built = windowOperator.create(
      windowOperator.options.parse({ column: 't', size: '5s', as: 'w' }),
      context(new Map([['t', { watermarkDelayMs: 10_000 }]])),
    );
    assert.deepEqual(built.columns!.get('w'), {
      window: { kind: 'tumbling', source: 't', sizeMs: 5000, slideMs: 5000 },
      watermarkDelayMs: 10_000,
    });
  });
});

describe('sessionWindow', () => {
  it('gives each row its own session [t, t + gap)', async () => {
    const built = sessionWindowOperator.create(
      sessionWindowOperator.options.parse({ column: 't', gap: '30s', as: 'session_window' }),
      context(),
    );
    const rows = await run(built.operator, [{ t: at('2024-05-01T12:00:10Z'), v: 1 }]);
    assert.equal(span(rows[0], 'session_window'), '12:00:10-12:00:40');
  });
});

describe('withWatermark', () => {
  it('passes rows through and reports min, max, sum and count of the event times it saw', async () => {
    const built = withWatermarkOperator.create(withWatermarkOperator.options.parse({ column: 't', delay: '10 seconds' }), context());
    const rows = [
      { t: new Date(10_000), v: 1 },
      { t: new Date(14_000), v: 2 },
      { t: null, v: 3 },
    ];
    assert.deepEqual(await run(built.operator, rows), rows);
    assert.deepEqual(built.operator.watermark!.stats(), { min: 10_000, max: 14_000, sum: 24_000, count: 2 });
    await run(built.operator, []);
    assert.equal(built.operator.watermark!.stats(), undefined, 'statistics are per batch');
    assert.equal(built.operator.watermark!.delayMs, 10_000);
  });
});

describe('output-mode rules (Spark: UnsupportedOperationChecker)', () => {
  const watermark: PlanOperator = { facts: { kind: 'watermark', column: 't' }, path: 'operators[0].withWatermark' };
  const windowed: PlanOperator = {
    facts: { kind: 'aggregation', keys: ['window', 'word'], watermarkedKey: 'window' },
    path: 'operators[2].groupBy',
  };
  const plain: PlanOperator = { facts: { kind: 'aggregation', keys: ['word'] }, path: 'operators[1].groupBy' };
  const session: PlanOperator = {
    facts: { kind: 'aggregation', keys: ['s', 'user'], watermarkedKey: 's', sessionWindow: 's' },
    path: 'operators[2].groupBy',
  };
  const dedup: PlanOperator = { facts: { kind: 'dedup', withinWatermark: false }, path: 'operators[3].dropDuplicates' };
  const messages = (plan: PlanOperator[], mode: 'append' | 'update' | 'complete') =>
    checkOutputMode(plan, mode).map((p) => `${p.path ?? 'outputMode'}: ${p.message}`);

  it('accepts what Spark accepts', () => {
    for (const mode of ['append', 'update', 'complete'] as const) assert.deepEqual(messages([watermark, windowed], mode), []);
    assert.deepEqual(messages([plain], 'update'), []);
    assert.deepEqual(messages([plain], 'complete'), []);
    assert.deepEqual(messages([], 'append'), []);
    assert.deepEqual(messages([], 'update'), [], 'update without aggregation behaves as append, as in Spark');
    assert.deepEqual(messages([watermark, session], 'append'), []);
  });

  it('refuses the rest, quoting Spark and naming the valid modes', () => {
    assert.deepEqual(messages([plain], 'append'), [
      'outputMode: Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark: append writes each group once, when it is final, and a group is only final once the watermark passes its window (or event time). Group by a window over (or by) the column given to withWatermark. Valid output modes for this job: update, complete.',
    ]);
    assert.match(
      messages([], 'complete')[0],
      /^outputMode: Complete output mode not supported when there are no streaming aggregations on streaming DataFrames\/Datasets.*Valid output modes for this job: append, update\.$/,
    );
    assert.match(
      messages([watermark, session], 'update')[0],
      /Update output mode not supported for session window.*Valid output modes for this job: append, complete\.$/,
    );
    assert.match(
      messages([plain, { ...plain, path: 'operators[4].groupBy' }], 'update')[0],
      /^operators\[4\]\.groupBy: Multiple streaming aggregations are not supported/,
    );
    assert.match(
      messages([watermark, windowed, dedup], 'append')[0],
      /^operators\[3\]\.dropDuplicates: dropDuplicates after groupBy is not supported/,
    );
    assert.match(
      messages([watermark, { ...watermark, path: 'operators[1].withWatermark' }], 'append')[0],
      /^operators\[1\]\.withWatermark: Redefining watermark is disallowed/,
    );
  });
});
