import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VirtualTimeScheduler } from 'rxjs';
import { silentLogger } from '../../src/core/logger.js';
import { SystemSource } from '../../src/sources/system.js';

/**
 * A virtual clock for a periodic producer: `advance` runs what is due up to now + ms (maxFrames stops the endless
 * interval there); the sampler's pushes land after the promise it awaits, so each advance also lets those run.
 */
function virtualClock() {
  const scheduler = new VirtualTimeScheduler();
  return {
    scheduler,
    async advance(ms: number) {
      scheduler.maxFrames = scheduler.now() + ms;
      scheduler.flush();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const sampler = async () => ({ hostname: 'h', os: 'Linux', cpu_percent: 1, mem_used_mb: 2, mem_percent: 3 });
const seconds = (rows: Array<{ timestamp?: unknown }>) => rows.map((r) => (r.timestamp as Date).getTime() / 1000);

describe('system source under overload (virtual time)', () => {
  it('dropOldest: the batch keeps the samples it was given while ten more arrive; the next batch gets the newest', async () => {
    const clock = virtualClock();
    const source = new SystemSource(1000, 3, 'dropOldest', sampler);
    await source.open({ scheduler: clock.scheduler, logger: silentLogger });
    await clock.advance(1000); // samples at 0 s and 1 s
    const end = source.latestOffset() as number;
    assert.equal(end, 2);
    await clock.advance(10_000); // 2 s .. 11 s, into a buffer of 3 while the batch is being written
    assert.deepEqual(seconds(source.getBatch(null, end)), [0, 1]);
    source.commit(end);
    const next = source.latestOffset() as number;
    assert.deepEqual(seconds(source.getBatch(end, next)), [9, 10, 11]);
    assert.equal(source.metrics().droppedRows, 7);
    await source.stop();
  });

  it('a stopping query drains: no sample is taken after drain(), what was buffered is still handed out', async () => {
    const clock = virtualClock();
    const source = new SystemSource(1000, 100, 'block', sampler);
    await source.open({ scheduler: clock.scheduler, logger: silentLogger, maxRowsPerBatch: 2 });
    await clock.advance(2000);
    await source.drain();
    await clock.advance(5000);
    assert.deepEqual(seconds(source.getBatch(null, source.latestOffset()!)), [0, 1]);
    assert.deepEqual(seconds(source.getBatch(2, source.latestOffset()!)), [2]);
    assert.equal(source.latestOffset(), 3, 'nothing more');
  });
});
