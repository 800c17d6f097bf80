/**
 * The `sensor-starrocks` job run by the CLI against the Stream Load peer (rows into the real MariaDB, in a table
 * without a key, so a batch loaded twice would show twice): killed with SIGKILL and restarted, every reading is
 * there exactly once, each equal to what the sensor source computes for its tick and sensor.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import { loadLabel } from '../../src/sinks/starrocks/label.js';
import { killedAndRestarted } from '../support/cli.js';
import { assertEveryReadingOnce, type SensorRow } from '../support/sensor-readings.js';
import { service } from '../support/services.js';
import { startStarRocksPeer, type StarRocksPeer } from '../support/starrocks-peer/index.js';

const mariadb = service('mariadb');

describeOrSkip('job sensor-starrocks through the CLI against the Stream Load peer', { skip: mariadb.skip }, () => {
  const table = `sensor_sr_job_${process.pid}`;
  let admin: mysql.Connection;
  let peer: StarRocksPeer;
  before(async () => {
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: 'streamlab', timezone: 'Z' });
    await admin.query(`CREATE TABLE ${table} (sensor_id BIGINT NOT NULL, ts DATETIME(3) NOT NULL, temperature DOUBLE, humidity DOUBLE)`);
    peer = await startStarRocksPeer({ mariadb: { host: mariadb.host, port: mariadb.port } });
  });
  after(async () => {
    await peer?.close();
    await admin?.query(`DROP TABLE IF EXISTS ${table}`);
    await admin?.end();
  });

  it('killed with SIGKILL and restarted: every reading exactly once, one VISIBLE label per batch', async () => {
    const cwd = makeTempDir('streamlab-sensor-starrocks-');
    const env = {
      STARROCKS_FE_HOST: peer.feHost,
      STARROCKS_HTTP_PORT: String(peer.fePort),
      STARROCKS_DATABASE: 'streamlab',
      SENSOR_TABLE: table,
      SENSORS: '4',
      SENSOR_INTERVAL: '50ms',
      TRIGGER_INTERVAL: '100ms',
    };
    const id = await killedAndRestarted('sensor-starrocks', cwd, env);

    const [read] = await admin.query(`SELECT sensor_id, ts, temperature, humidity FROM ${table}`);
    const ticks = assertEveryReadingOnce(read as SensorRow[], 4, 50);
    assert.ok(ticks >= 5, `${ticks} ticks`);

    const prefix = loadLabel('sensor-starrocks', id, 0, 0).replace(/0-0$/, '');
    const labels = (await peer.txns('streamlab')).filter((t) => t.label.startsWith(prefix));
    assert.ok(
      labels.every((t) => t.state === 'VISIBLE'),
      JSON.stringify(labels),
    );
    const batches = labels.map((t) => Number(t.label.split('-').at(-2)));
    assert.deepEqual(
      batches,
      batches.map((_, i) => i),
      'one load per batch, labels <job>-<tag>-<batch>-0',
    );
  });
});
