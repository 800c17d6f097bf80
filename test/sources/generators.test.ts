import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asyncScheduler, VirtualTimeScheduler } from 'rxjs';
import { silentLogger } from '../../src/core/logger.js';
import { RateMicroBatchSource } from '../../src/sources/rate-micro-batch.js';
import { RateSource, valueAtSecond } from '../../src/sources/rate.js';
import { SineSource } from '../../src/sources/sine.js';

/** A virtual clock: `advance(ms)` moves time forward; sources read it through `scheduler.now()`. */
function virtualClock() {
  const scheduler = new VirtualTimeScheduler();
  return {
    scheduler,
    advance(ms: number) {
      scheduler.schedule(() => {}, ms);
      scheduler.flush();
    },
  };
}

describe('rate source', () => {
  it('valueAtSecond ramps up as in Spark (rampUpTime 4 s, 10 rows/s)', () => {
    // Spark's RateStreamProvider doc table: end values 0 2 6 12 20 30 40 for seconds 0..6
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6].map((s) => valueAtSecond(s, 10, 4)),
      [0, 2, 6, 12, 20, 30, 40],
    );
    assert.deepEqual(
      [0, 1, 2, 3].map((s) => valueAtSecond(s, 7, 0)),
      [0, 7, 14, 21],
    );
  });

  it('offsets are whole seconds of virtual time since the start; rows spread evenly over each second', async () => {
    const clock = virtualClock();
    const source = new RateSource(4, 0);
    const opened = await source.open({ scheduler: clock.scheduler, logger: silentLogger });
    const start = (opened as { metadata: { startTimeMs: number } }).metadata.startTimeMs;
    assert.equal(source.latestOffset(), null, 'nothing is due in the first second');
    clock.advance(2500);
    assert.equal(source.latestOffset(), 2);
    const rows = source.getBatch(null, 2);
    assert.deepEqual(
      rows.map((r) => r.value),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.deepEqual(
      rows.map((r) => (r.timestamp as Date).getTime() - start),
      [0, 250, 500, 750, 1000, 1250, 1500, 1750],
    );
    assert.deepEqual(
      source.getBatch(1, 2).map((r) => r.value),
      [4, 5, 6, 7],
      'same offsets, same rows',
    );
  });

  it('keeps its start time across restarts (from the checkpoint metadata)', async () => {
    const source = new RateSource(1, 0);
    await source.open({ scheduler: asyncScheduler, logger: silentLogger, metadata: { startTimeMs: 1_000 } });
    assert.deepEqual(source.getBatch(2, 3), [{ timestamp: new Date(3_000), value: 2 }]);
  });

  it('maxRowsPerBatch: after 30 minutes down the catch-up comes in bounded batches, each replayed exactly', async () => {
    const clock = virtualClock();
    const source = new RateSource(100, 0);
    const opened = await source.open({ scheduler: clock.scheduler, logger: silentLogger, maxRowsPerBatch: 1000 });
    clock.advance(30 * 60 * 1000);
    const offsets: Array<[number | null, number]> = [];
    let values = 0;
    for (let start: number | null = null, end = source.latestOffset(start) as number; end !== start; ) {
      const rows = source.getBatch(start, end);
      assert.ok(rows.length <= 1000, `batch (${start}, ${end}] has ${rows.length} rows`);
      assert.equal(rows[0].value, values, 'no gap, no overlap');
      values += rows.length;
      offsets.push([start, end]);
      start = end;
      end = source.latestOffset(start) as number;
    }
    assert.equal(values, 180_000);
    assert.equal(offsets.length, 180);
    const restarted = new RateSource(100, 0);
    await restarted.open({ scheduler: asyncScheduler, logger: silentLogger, ...opened });
    for (const [start, end] of [offsets[0], offsets[97]]) assert.deepEqual(restarted.getBatch(start, end), source.getBatch(start, end));
  });

  it('maxRowsPerBatch stops at whole seconds, at least one second even when that second alone is over the limit', async () => {
    const clock = virtualClock();
    const source = new RateSource(10, 4000); // end values 0 2 6 12 20 30 40 for seconds 0..6
    await source.open({ scheduler: clock.scheduler, logger: silentLogger, maxRowsPerBatch: 7 });
    clock.advance(6000);
    assert.deepEqual(
      [null, 2, 3, 4, 5, 6].map((start) => source.latestOffset(start)),
      [2, 3, 4, 5, 6, 6],
    );
  });
});

describe('rate-micro-batch source', () => {
  it('gives rowsPerBatch rows per batch with event time advancing per batch', () => {
    const source = new RateMicroBatchSource(3, 1000, 500);
    assert.equal(source.latestOffset(null), 3);
    assert.equal(source.latestOffset(3), 6);
    assert.deepEqual(
      source.getBatch(3, 6),
      [3, 4, 5].map((value) => ({ timestamp: new Date(1500), value })),
    );
  });

  it('maxRowsPerBatch smaller than rowsPerBatch splits batches without changing any row', async () => {
    const whole = new RateMicroBatchSource(4, 1000, 500);
    const split = new RateMicroBatchSource(4, 1000, 500);
    await split.open({ scheduler: asyncScheduler, logger: silentLogger, maxRowsPerBatch: 3 });
    const rows = [];
    for (let start = 0; start < 12; start = split.latestOffset(start) as number) {
      rows.push(...split.getBatch(start, split.latestOffset(start)));
      assert.equal(split.latestOffset(start), start + 3);
    }
    assert.deepEqual(rows, whole.getBatch(0, 12));
    assert.deepEqual(
      rows.map((r) => (r.timestamp as Date).getTime()),
      [1000, 1000, 1000, 1000, 1500, 1500, 1500, 1500, 2000, 2000, 2000, 2000],
    );
  });
});

describe('sine source', () => {
  it('value = amplitude * sin(n * increment), one row per interval, from the start time', async () => {
    const source = new SineSource(50, 0.1, 1000);
    await source.open({ scheduler: asyncScheduler, logger: silentLogger, metadata: { startTimeMs: 0 } });
    const rows = source.getBatch(null, 3);
    assert.deepEqual(
      rows,
      [0, 1, 2].map((n) => ({ timestamp: new Date(n * 1000), value: 50 * Math.sin(n * 0.1) })),
    );
  });

  it('a row is due at the start, then one per interval, in virtual time', async () => {
    const clock = virtualClock();
    const source = new SineSource(1, 0.1, 1000);
    await source.open({ scheduler: clock.scheduler, logger: silentLogger });
    assert.equal(source.latestOffset(), 1);
    clock.advance(2999);
    assert.equal(source.latestOffset(), 3);
  });

  it('maxRowsPerBatch bounds each batch', async () => {
    const clock = virtualClock();
    const source = new SineSource(1, 0.1, 1000);
    await source.open({ scheduler: clock.scheduler, logger: silentLogger, maxRowsPerBatch: 2 });
    clock.advance(4000);
    assert.deepEqual(
      [null, 2, 4, 5].map((start) => source.latestOffset(start)),
      [2, 4, 5, 5],
    );
  });
});
