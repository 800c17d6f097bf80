/**
 * Scenarios of Spark's StreamingDeduplicationSuite and StreamingDeduplicationWithinWatermarkSuite.
 * assertNumStateRows(total, updated): total of the latest batch, updated summed over the batches since the last check.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import type { Row } from '../../src/core/row.js';
import { buildTestJob, seconds, StreamHarness, windowStart } from './harness.js';

const pair = ([a, b]: [string, number]) => ({ _1: a, _2: b });
const eventTimeOf = (delay: string, column = 'value') => [
  { withColumn: { name: 'eventTime', expr: `timestamp_millis(${column} * 1000)` } },
  { withWatermark: { column: 'eventTime', delay } },
];
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const eventSeconds = (r: Row) => seconds(r.eventTime);
const state = (t: StreamHarness, operator = 0) => {
  const { total, updated } = t.stateRows(operator);
  return { total, updated };
};

let harness: StreamHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("Spark's StreamingDeduplicationSuite, ported", () => {
  it('deduplicate with all columns', async () => {
    harness = new StreamHarness({ schema: { value: 'string' }, operators: [{ dropDuplicates: {} }] }).start();
    const t = harness;
    await t.addData('a');
    assert.deepEqual(
      t.lastBatch((r) => r.value),
      ['a'],
    );
    assert.deepEqual(state(t), { total: 1, updated: 1 });
    await t.addData('a');
    assert.deepEqual(
      t.lastBatch((r) => r.value),
      [],
    );
    assert.deepEqual(state(t), { total: 1, updated: 0 });
    await t.addData('b');
    assert.deepEqual(
      t.lastBatch((r) => r.value),
      ['b'],
    );
    assert.deepEqual(state(t), { total: 2, updated: 1 });
  });

  it('deduplicate with some columns', async () => {
    harness = new StreamHarness({
      schema: { _1: 'string', _2: 'long' },
      toRow: pair,
      operators: [{ dropDuplicates: { columns: ['_1'] } }],
    }).start();
    const t = harness;
    await t.addData(['a', 1]);
    assert.deepEqual(
      t.lastBatch((r) => [r._1, r._2]),
      [['a', 1]],
    );
    await t.addData(['a', 2]); // dropped
    assert.deepEqual(
      t.lastBatch((r) => r),
      [],
    );
    assert.deepEqual(state(t), { total: 1, updated: 1 });
    await t.addData(['b', 1]);
    assert.deepEqual(
      t.lastBatch((r) => [r._1, r._2]),
      [['b', 1]],
    );
    assert.deepEqual(state(t), { total: 2, updated: 1 });
  });

  it('multiple deduplicates', async () => {
    harness = new StreamHarness({
      schema: { _1: 'string', _2: 'long' },
      toRow: pair,
      operators: [{ dropDuplicates: {} }, { dropDuplicates: { columns: ['_1'] } }],
    }).start();
    const t = harness;
    await t.addData(['a', 1]);
    assert.deepEqual(
      t.lastBatch((r) => [r._1, r._2]),
      [['a', 1]],
    );
    assert.deepEqual(
      [state(t, 0), state(t, 1)].map((s) => s.total),
      [1, 1],
    );
    await t.addData(['a', 2]); // dropped by the second dropDuplicates
    assert.deepEqual(
      t.lastBatch((r) => r),
      [],
    );
    const p = t.progress.at(-1)!;
    assert.deepEqual(
      p.stateOperators.map((s) => [s.numRowsTotal, s.numRowsUpdated]),
      [
        [2, 1],
        [1, 0],
      ],
    );
    await t.addData(['b', 1]);
    assert.deepEqual(
      t.lastBatch((r) => [r._1, r._2]),
      [['b', 1]],
    );
    assert.deepEqual(
      t.progress.at(-1)!.stateOperators.map((s) => [s.numRowsTotal, s.numRowsUpdated]),
      [
        [3, 1],
        [2, 1],
      ],
    );
  });

  it('deduplicate with watermark: keys are forgotten once the watermark passes their event time', async () => {
    harness = new StreamHarness({ schema: { value: 'long' }, operators: [...eventTimeOf('10 seconds'), { dropDuplicates: {} }] }).start();
    const t = harness;
    await t.addData(...[1, 2, 3, 4, 5].flatMap(() => range(10, 15)));
    assert.deepEqual(t.newAnswer(eventSeconds), range(10, 15));
    assert.deepEqual(state(t), { total: 6, updated: 6 });
    await t.addData(25); // advance watermark to 15 secs, no-data-batch drops rows <= 15
    assert.deepEqual(t.newAnswer(eventSeconds), [25]);
    assert.deepEqual(state(t), { total: 1, updated: 1 });
    await t.addData(10); // should not emit anything as data less than watermark
    assert.deepEqual(t.newAnswer(eventSeconds), []);
    assert.deepEqual(t.stateRows(), { total: 1, updated: 0, dropped: 1 });
    await t.addData(45); // advance watermark to 35 seconds, no-data-batch drops row 25
    assert.deepEqual(t.newAnswer(eventSeconds), [45]);
    assert.deepEqual(state(t), { total: 1, updated: 1 });
  });

  it('deduplicate with aggregate, append mode', async () => {
    harness = new StreamHarness({
      schema: { value: 'long' },
      operators: [
        ...eventTimeOf('10 seconds'),
        { dropDuplicates: {} },
        { window: { column: 'eventTime', size: '5 seconds' } },
        { groupBy: { keys: ['window'] } },
      ],
    }).start();
    const t = harness;
    const startCount = (r: Row) => [windowStart(r), r.count];
    await t.addData(...[1, 2, 3, 4, 5].flatMap(() => range(10, 15)));
    assert.deepEqual(t.lastBatch(startCount), []);
    assert.deepEqual(
      t.progress.at(-1)!.stateOperators.map((s) => s.numRowsTotal),
      [6, 2],
    ); // dedup 10..15; windows [10,15), [15,20)
    await t.addData(25); // advance watermark to 15 seconds
    assert.deepEqual(t.lastBatch(startCount), [[10, 5]]); // 5 items (10 to 14) after deduplicate, emitted by the no-data batch
    assert.deepEqual(
      t.progress.at(-1)!.stateOperators.map((s) => s.numRowsTotal),
      [1, 2],
    );
    await t.addData(10); // should not emit anything as data less than watermark
    assert.deepEqual(t.lastBatch(startCount), []);
    assert.deepEqual(
      t.progress.at(-1)!.stateOperators.map((s) => s.numRowsDroppedByWatermark),
      [1, 0],
    );
    await t.addData(40); // advance watermark to 30 seconds
    assert.deepEqual(t.lastBatch(startCount), [
      [15, 1],
      [25, 1],
    ]);
    assert.deepEqual(
      t.progress.at(-1)!.stateOperators.map((s) => s.numRowsTotal),
      [1, 1],
    );
  });

  for (const mode of ['update', 'complete'] as const) {
    it(`deduplicate with aggregate, ${mode} mode`, async () => {
      harness = new StreamHarness({
        schema: { _1: 'string', _2: 'long' },
        toRow: pair,
        operators: [
          { select: ['_1 as str', '_2 as num'] },
          { dropDuplicates: {} },
          { groupBy: { keys: ['str'], agg: { sum: 'sum(num)' } } },
        ],
        outputMode: mode,
      }).start();
      const t = harness;
      const rows = (r: Row) => [r.str, r.sum];
      await t.addData(['a', 1]);
      assert.deepEqual(t.lastBatch(rows), [['a', 1]]);
      await t.addData(['a', 1]); // dropped
      assert.deepEqual(t.lastBatch(rows), mode === 'update' ? [] : [['a', 1]]);
      await t.addData(['a', 2]);
      assert.deepEqual(t.lastBatch(rows), [['a', 3]]);
      await t.addData(['b', 1]);
      assert.deepEqual(
        t.lastBatch(rows),
        mode === 'update'
          ? [['b', 1]]
          : [
              ['a', 3],
              ['b', 1],
            ],
      );
      assert.deepEqual(
        t.progress.at(-1)!.stateOperators.map((s) => s.numRowsTotal),
        [3, 2],
      );
    });
  }

  it('SPARK-19841: the watermark filters on keys', async () => {
    harness = new StreamHarness({
      schema: { time: 'long', id: 'long' },
      toRow: ([time, id]: [number, number]) => ({ time, id }),
      operators: [
        { withColumn: { name: 'time', expr: 'timestamp_millis(time * 1000)' } },
        { withWatermark: { column: 'time', delay: '1 second' } },
        { dropDuplicates: { columns: ['id', 'time'] } },
      ],
    }).start();
    const t = harness;
    await t.addData([1, 1], [1, 1], [1, 2]);
    assert.deepEqual(
      t.newAnswer((r) => r.id),
      [1, 2],
    );
    await t.addData([1, 1], [2, 3], [2, 4]);
    assert.deepEqual(
      t.newAnswer((r) => r.id),
      [3, 4],
    );
    await t.addData([1, 0], [1, 1], [3, 5], [3, 6]); // drop (1 -> 0, 1 -> 1) due to watermark
    assert.deepEqual(
      t.newAnswer((r) => r.id),
      [5, 6],
    );
    await t.addData([1, 0], [4, 7]); // drop (1 -> 0) due to watermark
    assert.deepEqual(
      t.newAnswer((r) => r.id),
      [7],
    );
  });

  it('SPARK-21546: dropDuplicates ignores the watermark when it is not a key', async () => {
    harness = new StreamHarness({
      schema: { id: 'long', time: 'long' },
      toRow: ([id, time]: [number, number]) => ({ id, time }),
      operators: [
        { withColumn: { name: 'time', expr: 'timestamp_millis(time * 1000)' } },
        { withWatermark: { column: 'time', delay: '1 second' } },
        { dropDuplicates: { columns: ['id'] } },
      ],
    }).start();
    await harness.addData([1, 1], [1, 2], [2, 2]);
    assert.deepEqual(
      harness.newAnswer((r) => [r.id, seconds(r.time)]),
      [
        [1, 1],
        [2, 2],
      ],
    );
  });
});

describe("Spark's StreamingDeduplicationWithinWatermarkSuite, ported", () => {
  it('deduplicate without an event time column is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamlab-build-'));
    try {
      assert.throws(
        () => buildTestJob(dir, { schema: { value: 'string' }, operators: [{ dropDuplicates: { withinWatermark: true } }] }),
        (error) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, /dropDuplicatesWithinWatermark is not supported on streaming DataFrames\/DataSets without watermark/);
          return true;
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deduplicate with all columns with the event time column', async () => {
    harness = new StreamHarness({
      schema: { value: 'long' },
      operators: [...eventTimeOf('10 seconds'), { dropDuplicates: { withinWatermark: true } }],
    }).start();
    const t = harness;
    await t.addData(...[1, 2, 3, 4, 5].flatMap(() => range(10, 15))); // advance watermark to 5 secs, no-data-batch does not drop state rows
    assert.deepEqual(t.newAnswer(eventSeconds), range(10, 15));
    assert.deepEqual(state(t), { total: 6, updated: 6 });
    await t.addData(...range(13, 17)); // advance watermark to 7 secs; 13 to 15 are duplicated
    assert.deepEqual(t.newAnswer(eventSeconds), [16, 17]);
    assert.deepEqual(state(t), { total: 8, updated: 2 });
    await t.addData(5); // should not emit anything as data less than watermark
    assert.deepEqual(t.newAnswer(eventSeconds), []);
    assert.deepEqual(t.stateRows(), { total: 8, updated: 0, dropped: 1 });
    await t.addData(35); // advance watermark to 25 secs, no-data-batch drops state rows having expired time <= 25
    assert.deepEqual(t.newAnswer(eventSeconds), [35]);
    assert.deepEqual(state(t), { total: 3, updated: 1 });
    await t.addData(55); // advance watermark to 45 seconds, no-data-batch drops state rows having expired time <= 45
    assert.deepEqual(t.newAnswer(eventSeconds), [55]);
    assert.deepEqual(state(t), { total: 1, updated: 1 });
  });

  it('deduplicate with a subset of columns, the event time not among them', async () => {
    harness = new StreamHarness({
      schema: { _1: 'string', _2: 'long' },
      toRow: pair,
      operators: [...eventTimeOf('2 seconds', '_2'), { dropDuplicates: { columns: ['_1'], withinWatermark: true } }],
    }).start();
    const t = harness;
    const rows = (r: Row) => [r._1, seconds(r.eventTime)];
    await t.addData(['a', 17]); // advances watermark to 15; expiry 19
    assert.deepEqual(t.newAnswer(rows), [['a', 17]]);
    assert.deepEqual(state(t), { total: 1, updated: 1 });
    await t.addData(['a', 16]); // watermark does not advance
    assert.deepEqual(t.newAnswer(rows), []);
    assert.deepEqual(state(t), { total: 1, updated: 0 });
    await t.addData(['a', 13]); // should not emit anything as data less than watermark
    assert.deepEqual(t.newAnswer(rows), []);
    assert.deepEqual(t.stateRows(), { total: 1, updated: 0, dropped: 1 });
    await t.addData(['b', 22], ['c', 21]); // advances watermark to 20; no-data batch drops ("a" -> 19)
    assert.deepEqual(t.newAnswer(rows), [
      ['b', 22],
      ['c', 21],
    ]);
    assert.deepEqual(state(t), { total: 2, updated: 2 });
    await t.addData(['a', 21]); // "a" is new again: its state row was dropped
    assert.deepEqual(t.newAnswer(rows), [['a', 21]]);
    assert.deepEqual(state(t), { total: 3, updated: 1 });
    await t.addData(['d', 25]); // advances watermark to 23; no-data batch drops ("a" -> 23), ("c" -> 23)
    assert.deepEqual(t.newAnswer(rows), [['d', 25]]);
    assert.deepEqual(state(t), { total: 2, updated: 1 });
  });
});
