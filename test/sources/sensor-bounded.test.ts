import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { asyncScheduler } from 'rxjs';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import { SensorSource, sensorRows, sensorSource } from '../../src/sources/sensor.js';
import { generatorJob } from '../support/generator-job.js';

const START = Date.parse('2024-01-01T00:00:00Z');

describe('sensor source, bounded mode (rows)', () => {
  it('gives the readings the live mode gives for the same ticks, from the fixed start', async () => {
    const live = new SensorSource(3, 1000);
    await live.open({ scheduler: asyncScheduler, logger: silentLogger, metadata: { startTimeMs: START } });
    const bounded = sensorSource.create(sensorSource.options.parse({ rows: 30 }), {} as never);
    await bounded.open({ scheduler: asyncScheduler, logger: silentLogger });
    assert.equal(await bounded.latestOffset(null), 30);
    assert.deepEqual(await bounded.getBatch(null, 30), live.getBatch(null, 10));
  });

  it('its offsets count rows: maxRowsPerBatch is met exactly, not rounded to whole ticks', async () => {
    const bounded = sensorSource.create(sensorSource.options.parse({ rows: 10, sensors: 3 }), {} as never);
    await bounded.open({ scheduler: asyncScheduler, logger: silentLogger, maxRowsPerBatch: 4 });
    assert.deepEqual(await Promise.all([null, 4, 8].map((s) => bounded.latestOffset(s))), [4, 8, 10]);
    const rows: Row[] = [...sensorRows(3, 1000, START)(0, 4), ...sensorRows(3, 1000, START)(4, 10)];
    assert.deepEqual(
      rows.map((r) => [r.sensor_id, (r.timestamp as Date).getTime() - START]),
      [
        [1, 0],
        [2, 0],
        [3, 0],
        [1, 1000],
        [2, 1000],
        [3, 1000],
        [1, 2000],
        [2, 2000],
        [3, 2000],
        [1, 3000],
      ],
    );
  });

  it('without rows it is the live source as before, with the same checkpoint identity', () => {
    const options = sensorSource.options.parse({ sensors: 5 });
    assert.ok(sensorSource.create(options, {} as never) instanceof SensorSource);
    assert.deepEqual(sensorSource.offsetIdentity!(options), { interval: 1000 });
    assert.deepEqual(sensorSource.offsetIdentity!(sensorSource.options.parse({ rows: 9, start: '2024-06-01T00:00:00Z' })), {
      interval: 1000,
      offsets: 'rows',
      sensors: 3,
      start: Date.parse('2024-06-01T00:00:00Z'),
    });
  });

  it('in a job: availableNow ends after `rows` readings', async () => {
    const job = generatorJob({ type: 'sensor', rows: 25, sensors: 4 }, 10);
    try {
      assert.equal(await job.run(), undefined);
      assert.deepEqual(
        job.sink.batches.map((b) => b.rows.length),
        [10, 10, 5],
      );
      assert.deepEqual(
        job.sink.batches.flatMap((b) => b.rows),
        sensorRows(4, 1000, START)(0, 25),
      );
    } finally {
      rmSync(job.dir, { recursive: true, force: true });
    }
  });
});
