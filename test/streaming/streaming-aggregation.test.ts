/**
 * Scenarios of Spark's StreamingAggregationSuite: groupBy on a stream without event time, in update and complete
 * mode, across restarts, after a failure in the middle of a batch. Spark's CheckLastBatch ignores row order; ours
 * compares sorted rows (streamlab emits groups ordered by key anyway).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { map } from 'rxjs';
import { afterEach, describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import type { Row } from '../../src/core/row.js';
import { buildTestJob, StreamHarness } from './harness.js';

const byValue = (r: Row) => [r.value, r.count];
const sort = (rows: unknown[][]) => [...rows].sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true }));
const countByValue = [{ groupBy: { keys: ['value'], agg: { count: 'count()' } } }];

let harness: StreamHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("Spark's StreamingAggregationSuite, ported", () => {
  it('simple count, update mode (with a restart)', async () => {
    harness = new StreamHarness({ schema: { value: 'long' }, operators: countByValue, outputMode: 'update' }).start();
    const t = harness;
    await t.addData(3);
    assert.deepEqual(t.lastBatch(byValue), [[3, 1]]);
    await t.addData(3, 2);
    assert.deepEqual(sort(t.lastBatch(byValue)), [
      [2, 1],
      [3, 2],
    ]);
    await t.stop();
    t.start();
    await t.addData(3, 2, 1);
    assert.deepEqual(sort(t.lastBatch(byValue)), [
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    await t.addData(4, 4, 4, 4);
    assert.deepEqual(t.lastBatch(byValue), [[4, 4]]);
  });

  it('count distinct (Spark: size(collect_set); here approxCountDistinct, exact for small counts)', async () => {
    harness = new StreamHarness({
      schema: { _1: 'long', _2: 'array' },
      toRow: ([a, b]: [number, number[]]) => ({ _1: a, _2: b }),
      operators: [{ explode: { expr: '_2', as: 'value' } }, { groupBy: { keys: ['_1'], agg: { distinct: 'approxCountDistinct(value)' } } }],
      outputMode: 'update',
    }).start();
    await harness.addData([1, [1, 2]]);
    assert.deepEqual(
      harness.lastBatch((r) => [r._1, r.distinct]),
      [[1, 2]],
    );
  });

  it('simple count, complete mode (with a restart)', async () => {
    harness = new StreamHarness({ schema: { value: 'long' }, operators: countByValue, outputMode: 'complete' }).start();
    const t = harness;
    await t.addData(3);
    assert.deepEqual(t.lastBatch(byValue), [[3, 1]]);
    await t.addData(2);
    assert.deepEqual(sort(t.lastBatch(byValue)), [
      [2, 1],
      [3, 1],
    ]);
    await t.stop();
    t.start();
    await t.addData(3, 2, 1);
    assert.deepEqual(sort(t.lastBatch(byValue)), [
      [1, 1],
      [2, 2],
      [3, 2],
    ]);
    await t.addData(4, 4, 4, 4);
    assert.deepEqual(sort(t.lastBatch(byValue)), [
      [1, 1],
      [2, 2],
      [3, 2],
      [4, 4],
    ]);
  });

  it('simple count, append mode: refused before the query runs, naming the valid modes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamlab-build-'));
    try {
      assert.throws(
        () => buildTestJob(dir, { schema: { value: 'long' }, operators: countByValue, outputMode: 'append' }),
        (error) => {
          assert.ok(error instanceof ConfigError);
          assert.match(
            error.message,
            /outputMode: Append output mode not supported when there are streaming aggregations on streaming DataFrames\/DataSets without watermark/,
          );
          assert.match(error.message, /Valid output modes for this job: update, complete\./);
          return true;
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('state metrics, update then complete mode', async () => {
    // Spark: flatMap(x => Seq(x, x + 1)).groupBy("value").count()
    const flatMapped = [
      { explode: { expr: "split(concat(value, ' ', value + 1), ' ')", as: 'v' } },
      { select: ['int(v) as value'] },
      ...countByValue,
    ];
    for (const mode of ['update', 'complete'] as const) {
      const t = new StreamHarness({ schema: { value: 'long' }, operators: flatMapped, outputMode: mode }).start();
      try {
        await t.addData(1);
        assert.deepEqual(sort(t.lastBatch(byValue)), [
          [1, 1],
          [2, 1],
        ]);
        let p = t.progress.at(-1)!;
        assert.deepEqual([p.sink.numOutputRows, p.stateOperators[0].numRowsUpdated, p.stateOperators[0].numRowsTotal], [2, 2, 2], mode);
        await t.addData(2, 3);
        const expected =
          mode === 'update'
            ? [
                [2, 2],
                [3, 2],
                [4, 1],
              ]
            : [
                [1, 1],
                [2, 2],
                [3, 2],
                [4, 1],
              ];
        assert.deepEqual(sort(t.lastBatch(byValue)), expected);
        p = t.progress.at(-1)!;
        assert.deepEqual(
          [p.sink.numOutputRows, p.stateOperators[0].numRowsUpdated, p.stateOperators[0].numRowsTotal],
          [expected.length, 3, 4],
          mode,
        );
        assert.equal(p.stateOperators[0].operatorName, 'stateStoreSave');
        assert.ok(p.stateOperators[0].memoryUsedBytes > 0);
      } finally {
        await t.close();
      }
    }
  });

  it('multiple keys', async () => {
    harness = new StreamHarness({
      schema: { value: 'long' },
      operators: [{ withColumn: { name: 'next', expr: 'value + 1' } }, { groupBy: { keys: ['value', 'next'] } }],
      outputMode: 'update',
    }).start();
    await harness.addData(1, 2);
    assert.deepEqual(
      harness.lastBatch((r) => [r.value, r.next, r.count]),
      [
        [1, 2, 1],
        [2, 3, 1],
      ],
    );
    await harness.addData(1, 2);
    assert.deepEqual(
      harness.lastBatch((r) => [r.value, r.next, r.count]),
      [
        [1, 2, 2],
        [2, 3, 2],
      ],
    );
  });

  it('midbatch failure: the batch is run again after the restart, state counted once', async () => {
    let firstTime = true;
    harness = new StreamHarness({
      schema: { value: 'long' },
      operators: countByValue,
      outputMode: 'update',
      before: map((batch) => {
        if (firstTime && batch.rows.some((r) => r.value === 4)) {
          firstTime = false;
          throw new Error('injected failure');
        }
        return batch;
      }),
    }).start();
    await assert.rejects(harness.addData(1, 2, 3, 4), /injected failure/);
    harness.start();
    await harness.processAllAvailable();
    assert.deepEqual(harness.lastBatch(byValue), [
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
    ]);
  });

  it('typed aggregators (sum per key)', async () => {
    harness = new StreamHarness({
      schema: { _1: 'string', _2: 'long' },
      toRow: ([a, b]: [string, number]) => ({ _1: a, _2: b }),
      operators: [{ groupBy: { keys: ['_1'], agg: { sum: 'sum(_2)' } } }],
      outputMode: 'update',
    }).start();
    await harness.addData(['a', 10], ['a', 20], ['b', 1], ['b', 2], ['c', 1]);
    assert.deepEqual(
      harness.lastBatch((r) => [r._1, r.sum]),
      [
        ['a', 30],
        ['b', 3],
        ['c', 1],
      ],
    );
  });

  it('SPARK-21977: a global aggregation in complete mode keeps its result through empty batches', async () => {
    harness = new StreamHarness({ schema: { value: 'long' }, operators: [{ groupBy: {} }], outputMode: 'complete' }).start();
    const t = harness;
    await t.addData(1);
    assert.deepEqual(
      t.lastBatch((r) => r.count),
      [1],
    );
    await t.addData(); // an empty batch
    assert.deepEqual(
      t.lastBatch((r) => r.count),
      [1],
    );
    await t.addData(2, 3);
    assert.deepEqual(
      t.lastBatch((r) => r.count),
      [3],
    );
    await t.addData();
    assert.deepEqual(
      t.lastBatch((r) => r.count),
      [3],
    );
  });

  it('every aggregate, with nulls ignored as in SQL', async () => {
    harness = new StreamHarness({
      schema: { k: 'string', x: 'double', who: 'string' },
      toRow: ([k, x, who]: [string, number | null, string]) => ({ k, x, who }),
      operators: [
        {
          groupBy: {
            keys: ['k'],
            agg: {
              rows: 'count()',
              xs: 'count(x)',
              total: 'sum(x)',
              mean: 'avg(x)',
              low: 'min(x)',
              high: 'max(x)',
              people: 'approxCountDistinct(who)',
              first: 'min(who)',
            },
          },
        },
      ],
      outputMode: 'complete',
    }).start();
    await harness.addData(['a', 1.5, 'ann'], ['a', null, 'bob'], ['a', 4.5, 'ann'], ['b', null, 'cid']);
    assert.deepEqual(
      harness.lastBatch((r) => r),
      [
        { k: 'a', rows: 3, xs: 2, total: 6, mean: 3, low: 1.5, high: 4.5, people: 2, first: 'ann' },
        { k: 'b', rows: 1, xs: 0, total: null, mean: null, low: null, high: null, people: 1, first: 'cid' },
      ],
    );
    await harness.stop();
    harness.start(); // the buffers, sketches included, come back from the state files
    await harness.addData(['a', -1, 'dan']);
    assert.deepEqual(harness.lastBatch((r) => r)[0], {
      k: 'a',
      rows: 4,
      xs: 3,
      total: 5,
      mean: 5 / 3,
      low: -1,
      high: 4.5,
      people: 3,
      first: 'ann',
    });
  });
});
