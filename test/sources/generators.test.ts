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
});
