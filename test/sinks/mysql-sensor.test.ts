/**
 * The `sensor` source, and the `sensor-mysql` job run by the CLI against the real MariaDB: killed with SIGKILL and
 * restarted, it leaves every reading exactly once, each equal to what the source computes for its tick and sensor.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import { VirtualTimeScheduler } from 'rxjs';
import { silentLogger } from '../../src/core/logger.js';
import { reading, SensorSource, sensorSource } from '../../src/sources/sensor.js';
import { killedAndRestarted } from '../support/cli.js';
import { assertEveryReadingOnce, type SensorRow } from '../support/sensor-readings.js';
import { service } from '../support/services.js';

describe('sensor source', () => {
  it('is a pure function of the offsets: the same rows for the same (start, end], also in a new instance', async () => {
    const open = async () => {
      const source = new SensorSource(3, 1000);
      const scheduler = new VirtualTimeScheduler();
      await source.open({ scheduler, logger: silentLogger, metadata: { startTimeMs: 1_700_000_000_000 } });
      return source;
    };
    const a = await open();
    const b = await open();
    assert.deepEqual(a.getBatch(2, 5), b.getBatch(2, 5));
    assert.deepEqual(a.getBatch(null, 2), [
      { sensor_id: 1, timestamp: new Date(1_700_000_000_000), ...reading(0, 0) },
      { sensor_id: 2, timestamp: new Date(1_700_000_000_000), ...reading(0, 1) },
      { sensor_id: 3, timestamp: new Date(1_700_000_000_000), ...reading(0, 2) },
      { sensor_id: 1, timestamp: new Date(1_700_000_001_000), ...reading(1, 0) },
      { sensor_id: 2, timestamp: new Date(1_700_000_001_000), ...reading(1, 1) },
      { sensor_id: 3, timestamp: new Date(1_700_000_001_000), ...reading(1, 2) },
    ]);
  });

  it('readings stay in plausible ranges with two decimals', () => {
    for (let tick = 0; tick < 5000; tick++) {
      for (let s = 0; s < 5; s++) {
        const { temperature, humidity } = reading(tick, s);
        assert.ok(temperature >= 15 && temperature <= 27, `temperature ${temperature}`);
        assert.ok(humidity >= 0 && humidity <= 100 && humidity > 30 && humidity < 80, `humidity ${humidity}`);
        assert.equal(Math.round(temperature * 100) / 100, temperature);
      }
    }
  });

  it('counts ticks due from the start kept in the checkpoint, and honours maxRowsPerBatch in whole ticks', async () => {
    const scheduler = new VirtualTimeScheduler();
    const source = new SensorSource(4, 1000);
    const opened = await source.open({ scheduler, logger: silentLogger, maxRowsPerBatch: 10 });
    assert.deepEqual(opened, { metadata: { startTimeMs: 0 } });
    assert.equal(source.latestOffset(null), 1, 'tick 0 is due at the start');
    scheduler.schedule(() => undefined, 5500);
    scheduler.flush();
    assert.equal(source.latestOffset(null), 2, 'at most 10 rows: two ticks of 4 sensors');
    assert.equal(source.latestOffset(4), 6, 'ticks 0..5 are due at 5.5 s');
    assert.equal(source.getBatch(4, 6).length, 8);
  });

  it('its options are checked', () => {
    assert.equal(sensorSource.options.safeParse({ sensors: 0 }).success, false);
    assert.equal(sensorSource.options.safeParse({ interval: '0s' }).success, false);
    assert.deepEqual(sensorSource.options.parse({}), { sensors: 3, interval: 1000 });
  });
});

const mariadb = service('mariadb');

describeOrSkip('job sensor-mysql through the CLI against MariaDB', { skip: mariadb.skip }, () => {
  const table = `sensor_job_${process.pid}`;
  let admin: mysql.Connection;
  before(async () => {
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: 'streamlab', timezone: 'Z' });
  });
  after(async () => {
    await admin?.query(`DROP TABLE IF EXISTS ${table}`);
    await admin?.end();
  });

  it('killed with SIGKILL and restarted: every reading exactly once, one commit-table row per batch', async () => {
    const cwd = makeTempDir('streamlab-sensor-mysql-');
    const env = {
      MYSQL_HOST: mariadb.host,
      MYSQL_PORT: String(mariadb.port),
      MYSQL_DATABASE: 'streamlab',
      SENSOR_TABLE: table,
      SENSORS: '4',
      SENSOR_INTERVAL: '50ms',
      TRIGGER_INTERVAL: '100ms',
    };
    const id = await killedAndRestarted('sensor-mysql', cwd, env);

    const [rows] = await admin.query(`SELECT sensor_id, ts, temperature, humidity FROM ${table}`);
    const ticks = assertEveryReadingOnce(rows as SensorRow[], 4, 50);
    assert.ok(ticks >= 5, `${ticks} ticks`);
    const [commits] = await admin.query('SELECT batch_id, num_rows FROM streamlab_commits WHERE query_id = ? ORDER BY batch_id', [id]);
    const list = commits as Array<{ batch_id: number; num_rows: number }>;
    assert.deepEqual(
      list.map((c) => c.batch_id),
      list.map((_, i) => i),
      'batches 0..n, each recorded once',
    );
    assert.equal(
      list.reduce((sum, c) => sum + Number(c.num_rows), 0),
      ticks * 4,
    );
  });
});
