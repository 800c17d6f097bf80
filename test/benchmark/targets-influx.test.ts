/**
 * The influxdb bench target against both real servers: the v2 API of InfluxDB 1.8.10 (influxdb18) and the v1 API
 * of 1.6.7 (influxdb1). The sink and the baseline each write the same rows into a destination of their own; every
 * point is read back and compared with the rows, and the target's read-back, count, disk size and drop are checked.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import type { TargetSession } from '../../src/benchmark/target.js';
import { TargetError } from '../../src/benchmark/target.js';
import { influxdbTarget } from '../../src/benchmark/targets/influxdb.js';
import { InfluxServer } from '../../src/benchmark/targets/influxdb-server.js';
import type { Row } from '../../src/core/row.js';
import { service } from '../support/services.js';
import { batches, expected, makeRows, spec, writeThroughSink } from './target-rows.js';

const rows = makeRows(3000);

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every point, as rows of the test schema, sorted by seq (InfluxDB orders by time, then series). */
async function points(server: InfluxServer, db: string): Promise<Row[]> {
  const series = (await server.query(`SELECT * FROM "${db}"`, db))[0];
  if (!series) return [];
  const out = series.values.map((values) => {
    const p = Object.fromEntries(series.columns.map((c, i) => [c, values[i]]));
    return { time: new Date(p.time as number), host: p.host, region: p.region, usage: p.usage, seq: p.seq, ok: p.ok, note: p.note };
  });
  return (out as Row[]).sort((a, b) => (a.seq as number) - (b.seq as number));
}

for (const api of ['v2', 'v1'] as const) {
  const influx = service(api === 'v2' ? 'influxdb18' : 'influxdb1');
  describeOrSkip(`influxdb bench target, api ${api} (${influx.name})`, { skip: influx.skip }, () => {
    const prefix = `sb_test_${api}_${process.pid}`;
    let url: string;
    let server: InfluxServer;
    let session: TargetSession;
    let connection: Record<string, unknown>;

    before(async () => {
      url = `http://${influx.address}`;
      server = new InfluxServer(url, api, undefined, influx.name);
      connection = { api, url, bucket: 'streamlab', batchSize: 700, concurrency: 2 };
      session = await influxdbTarget.open(connection);
    });
    after(async () => {
      for (const suffix of ['sink', 'base', 'foreign']) await server?.query(`DROP DATABASE "${prefix}_${suffix}"`);
      await session?.close();
    });

    it('says the server version', () => {
      assert.match(session.serverVersion ?? '', api === 'v2' ? /^InfluxDB 1\.8\.10$/ : /^InfluxDB 1\.6\.7/);
    });

    it('the sink writes every row into a fresh database; read-back, count, disk size and drop agree', async () => {
      const s = spec(`${prefix}_sink`);
      const leftover = await session.prepare(s);
      await writeThroughSink(influxdbTarget, connection, leftover, s, batches(rows.slice(0, 10), 10));
      const destination = await session.prepare(s); // the bench's own leftover: dropped, not refused
      assert.equal(await destination.count(), 0);
      await writeThroughSink(influxdbTarget, connection, destination, s, batches(rows, 1000));
      assert.deepEqual(await points(server, s.name), rows);
      assert.deepEqual(await destination.readBack(), expected(rows));
      assert.equal(await destination.count(), rows.length);
      const bytes = await destination.diskBytes();
      assert.ok(bytes !== undefined && bytes > 0, `diskBytes ${bytes}`);
      await destination.drop();
      const databases = (await server.query('SHOW DATABASES'))[0].values.map((v) => v[0]);
      assert.ok(!databases.includes(s.name), `${s.name} is still there`);
    });

    it('the baseline writes the same points', async () => {
      const s = spec(`${prefix}_base`);
      const destination = await session.prepare(s);
      assert.ok(session.baseline, 'a baseline');
      await session.baseline.write(batches(rows, 1000), destination, s);
      assert.deepEqual(await points(server, s.name), rows);
      assert.deepEqual(await destination.readBack(), expected(rows));
      await destination.drop();
    });

    it('refuses a database of that name that the bench did not make', async () => {
      const name = `${prefix}_foreign`;
      await server.query(`CREATE DATABASE "${name}"`);
      await server.query(`CREATE RETENTION POLICY "other" ON "${name}" DURATION 1d REPLICATION 1`);
      await assert.rejects(session.prepare(spec(name)), (error: Error) => {
        assert.ok(error instanceof TargetError);
        assert.match(error.message, new RegExp(`InfluxDB at ${url}: database "${name}" exists and was not made by streamlab bench`));
        return true;
      });
      const databases = (await server.query('SHOW DATABASES'))[0].values.map((v) => v[0]);
      assert.ok(databases.includes(name), 'the foreign database is left alone');
    });

    it('a server that is not up: names the address and how to start it', async () => {
      const port = await closedPort();
      await assert.rejects(influxdbTarget.open({ api, url: `http://127.0.0.1:${port}`, bucket: 'x' }), (error: Error) => {
        assert.ok(error instanceof TargetError);
        assert.match(error.message, new RegExp(`^InfluxDB at http://127\\.0\\.0\\.1:${port} is not up \\(ECONNREFUSED\\)`));
        assert.match(error.message, new RegExp(`npm run services -- up ${influx.name}`));
        return true;
      });
    });
  });
}
