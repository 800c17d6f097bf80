/**
 * Scenarios of Spark's EventTimeWatermarkSuite (sql/core/src/test/scala/org/apache/spark/sql/streaming), same inputs,
 * same batches, same expected rows. The query is Spark's:
 *
 *   inputData.toDF().withColumn("eventTime", timestamp_seconds($"value")).withWatermark("eventTime", "10 seconds")
 *     .groupBy(window($"eventTime", "5 seconds")).agg(count("*"))  -- rows shown as (window.start in s, count)
 *
 * As in Spark, a batch that moves the watermark is followed by a batch without data when the aggregation can use
 * the new watermark, so CheckNewAnswer after AddData includes what that no-data batch emitted.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import type { Row } from '../../src/core/row.js';
import { buildTestJob, StreamHarness, windowedCount, windowStart } from './harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const startAndCount = (r: Row) => [windowStart(r), r.count];
const sorted = <T>(rows: T[][]) => [...rows].sort((a, b) => (a[0] as number) - (b[0] as number));
/** Spark's assertNumStateRows + assertNumRowsDroppedByWatermark (this suite checks those two only). */
const numStateRows = (t: StreamHarness) => {
  const { total, dropped } = t.stateRows();
  return { total, dropped };
};

let harness: StreamHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("Spark's EventTimeWatermarkSuite, ported", () => {
  it('event time and watermark metrics: none without a watermark, min/max/avg/watermark with one', async () => {
    const plain = new StreamHarness({
      schema: { value: 'long' },
      operators: [
        { withColumn: { name: 'eventTime', expr: 'timestamp_millis(value * 1000)' } },
        { window: { column: 'eventTime', size: '5 seconds' } },
        { groupBy: { keys: ['window'] } },
      ],
      outputMode: 'complete',
    }).start();
    harness = plain;
    await plain.addData(15);
    assert.deepEqual(plain.lastBatch(startAndCount), [[15, 1]]);
    assert.equal(plain.eventStats(), undefined);
    await plain.addData(10, 12, 14);
    assert.deepEqual(plain.lastBatch(startAndCount), [
      [10, 3],
      [15, 1],
    ]);
    assert.equal(plain.eventStats(), undefined);
    await plain.close();

    harness = new StreamHarness({ schema: { value: 'long' }, operators: windowedCount() }).start();
    const t = harness;
    const at = (s: number) => new Date(s * 1000).toISOString();
    await t.addData(15);
    assert.deepEqual(t.newAnswer(startAndCount), []);
    assert.deepEqual(t.eventStats(), { min: at(15), max: at(15), avg: at(15), watermark: at(0) });
    await t.addData(10, 12, 14);
    assert.deepEqual(t.newAnswer(startAndCount), []);
    assert.deepEqual(t.eventStats(), { min: at(10), max: at(14), avg: at(12), watermark: at(5) });
    await t.addData(25);
    assert.deepEqual(t.newAnswer(startAndCount), [[10, 3]]);
    assert.deepEqual(t.eventStats(), { min: at(25), max: at(25), avg: at(25), watermark: at(5) });
  });

  it('append mode: a window is emitted once the watermark passes its end; later rows for it are dropped', async () => {
    harness = new StreamHarness({ schema: { value: 'long' }, operators: windowedCount() }).start();
    const t = harness;
    await t.addData(10, 11, 12, 13, 14, 15);
    assert.deepEqual(t.newAnswer(startAndCount), []);
    await t.addData(25); // advance watermark to 15 seconds
    assert.deepEqual(t.newAnswer(startAndCount), [[10, 5]]);
    assert.deepEqual(numStateRows(t), { total: 2, dropped: 0 });
    await t.addData(10); // should not emit anything as data less than watermark
    assert.deepEqual(t.newAnswer(startAndCount), []);
    assert.deepEqual(numStateRows(t), { total: 2, dropped: 1 });
  });

  it('update mode: changed windows every batch; late rows ignored', async () => {
    harness = new StreamHarness({ schema: { value: 'long' }, operators: windowedCount(), outputMode: 'update' }).start();
    const t = harness;
    await t.addData(10, 11, 12, 13, 14, 15);
    assert.deepEqual(t.newAnswer(startAndCount), [
      [10, 5],
      [15, 1],
    ]);
    await t.addData(25); // advance watermark to 15 seconds
    assert.deepEqual(t.newAnswer(startAndCount), [[25, 1]]);
    assert.deepEqual(numStateRows(t), { total: 2, dropped: 0 });
    await t.addData(10, 25); // ignore 10 as it's less than watermark
    assert.deepEqual(t.newAnswer(startAndCount), [[25, 2]]);
    assert.deepEqual(numStateRows(t), { total: 2, dropped: 1 });
    await t.addData(10); // should not emit anything as data less than watermark
    assert.deepEqual(t.newAnswer(startAndCount), []);
    assert.deepEqual(numStateRows(t), { total: 2, dropped: 1 });
  });

  it('complete mode: nothing is evicted and no row is too late', async () => {
    harness = new StreamHarness({ schema: { value: 'long' }, operators: windowedCount(), outputMode: 'complete' }).start();
    const t = harness;
    await t.addData(10, 11, 12);
    assert.deepEqual(t.lastBatch(startAndCount), [[10, 3]]);
    await t.addData(25);
    assert.deepEqual(t.lastBatch(startAndCount), [
      [10, 3],
      [25, 1],
    ]);
    await t.addData(25);
    assert.deepEqual(t.lastBatch(startAndCount), [
      [10, 3],
      [25, 2],
    ]);
    await t.addData(10);
    assert.deepEqual(t.lastBatch(startAndCount), [
      [10, 4],
      [25, 2],
    ]);
    await t.addData(25);
    assert.deepEqual(t.lastBatch(startAndCount), [
      [10, 4],
      [25, 3],
    ]);
  });

  it('recovery: after a restart the watermark and the state go on where they were', async () => {
    harness = new StreamHarness({ schema: { value: 'long' }, operators: windowedCount() }).start();
    const t = harness;
    await t.addData(10, 11, 12, 13, 14, 15);
    assert.deepEqual(t.newAnswer(startAndCount), []);
    await t.addData(25); // advance watermark to 15 seconds
    assert.deepEqual(t.newAnswer(startAndCount), [[10, 5]]);
    await t.stop();
    t.start();
    await t.addData(10, 27, 30); // advance watermark to 20 seconds, 10 should be ignored
    assert.deepEqual(t.newAnswer(startAndCount), [[15, 1]]);
    await t.stop();
    t.start();
    await t.addData(17); // watermark should still be 20 seconds, 17 should be ignored
    assert.deepEqual(t.newAnswer(startAndCount), []);
    await t.addData(40); // advance watermark to 30 seconds, emit first data 25
    assert.deepEqual(t.newAnswer(startAndCount), [[25, 2]]);
  });

  it('recovery with the availableNow trigger, one start per step (the SPARK-24699 scenario)', async () => {
    harness = new StreamHarness({ schema: { value: 'long' }, operators: windowedCount(), trigger: { kind: 'availableNow' } });
    const t = harness;
    const step = async (...values: number[]) => {
      t.input.addRows(values.map((value) => ({ value })));
      t.start();
      await t.awaitTermination();
      return t.newAnswer(startAndCount);
    };
    assert.deepEqual(await step(15), []);
    assert.deepEqual(await step(10, 12, 14), []);
    assert.deepEqual(await step(25), [[10, 3]]); // watermark updated to 25 - 10 = 15
    assert.deepEqual(sorted(await step(50)), [
      [15, 1],
      [25, 1],
    ]); // watermark updated to 50 - 10 = 40
    assert.deepEqual(await step(50), []);
    // Data batches run with 0, 5, 5, 15, 40; each one that moved the watermark is followed by a no-data batch.
    const watermarks = t.progress.map((p) => `${p.numInputRows > 0 ? 'data' : 'no-data'}@${Number(p.eventTime!.watermark.slice(17, 19))}`);
    assert.deepEqual(watermarks, ['data@0', 'no-data@5', 'data@5', 'data@5', 'no-data@15', 'data@15', 'no-data@40', 'data@40']);
  });

  it('group by on raw timestamp', async () => {
    harness = new StreamHarness({
      schema: { value: 'long' },
      operators: [
        { withColumn: { name: 'eventTime', expr: 'timestamp_millis(value * 1000)' } },
        { withWatermark: { column: 'eventTime', delay: '10 seconds' } },
        { groupBy: { keys: ['eventTime'] } },
      ],
    }).start();
    await harness.addData(10);
    assert.deepEqual(
      harness.newAnswer((r) => r),
      [],
    );
    await harness.addData(25); // advance watermark to 15 seconds
    assert.deepEqual(
      harness.newAnswer((r) => [(r.eventTime as Date).getTime() / 1000, r.count]),
      [[10, 1]],
    );
  });

  it('SPARK-27340: a renamed window column keeps its watermark', async () => {
    harness = new StreamHarness({
      schema: { value: 'long' },
      operators: [
        { withColumn: { name: 'eventTime', expr: 'timestamp_millis(value * 1000)' } },
        { withWatermark: { column: 'eventTime', delay: '10 seconds' } },
        { window: { column: 'eventTime', size: '5 seconds', as: 'aliasWindow' } },
        { groupBy: { keys: ['aliasWindow'] } },
      ],
    }).start();
    const t = harness;
    await t.addData(10, 11, 12, 13, 14, 15);
    assert.deepEqual(
      t.newAnswer((r) => r),
      [],
    );
    await t.addData(25);
    assert.deepEqual(
      t.newAnswer((r) => [windowStart(r, 'aliasWindow'), r.count]),
      [[10, 5]],
    );
    assert.equal(t.stateRows().total, 2);
    await t.addData(10);
    assert.deepEqual(
      t.newAnswer((r) => r),
      [],
    );
    assert.equal(t.stateRows().total, 2);
  });

  describe('errors before the query runs', () => {
    const build = (operators: unknown[], outputMode: 'append' | 'update' | 'complete' = 'append') => {
      const dir = mkdtempSync(join(tmpdir(), 'streamlab-build-'));
      try {
        return buildTestJob(dir, { schema: { value: 'long' }, operators, outputMode });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const rejects = (operators: unknown[], pattern: RegExp, outputMode?: 'append' | 'update' | 'complete') =>
      assert.throws(
        () => build(operators, outputMode),
        (error) => {
          assert.ok(error instanceof ConfigError, String(error));
          assert.match(error.message, pattern);
          return true;
        },
      );

    it('error on bad column', () => rejects([{ withWatermark: { column: 'badColumn', delay: '1 minute' } }], /badColumn/));
    it('error on wrong type', () =>
      rejects([{ withWatermark: { column: 'value', delay: '1 minute' } }], /'value' is long, not a timestamp/));
    it('delay threshold should not be negative', () =>
      rejects(
        [{ withColumn: { name: 't', expr: 'timestamp_millis(value)' } }, { withWatermark: { column: 't', delay: '-10 seconds' } }],
        /delay.*duration/,
      ));
    it('overriding watermark should not be allowed', () =>
      rejects(
        [
          { withColumn: { name: 'first', expr: 'timestamp_millis(value * 1000)' } },
          { withColumn: { name: 'second', expr: 'timestamp_millis(value * 2000)' } },
          { withWatermark: { column: 'first', delay: '1 minute' } },
          { withWatermark: { column: 'second', delay: '2 minutes' } },
          { window: { column: 'second', size: '1 minute' } },
          { groupBy: { keys: ['window'] } },
        ],
        /operators\[3\]\.withWatermark.*Redefining watermark is disallowed/s,
      ));
  });
});
