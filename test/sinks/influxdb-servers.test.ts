/**
 * The influxdb sink against the real servers of `npm run services -- up`: `api: v2` against InfluxDB 1.8.10
 * (`/api/v2/write`, read back with Flux, and InfluxQL for the field types), `api: v1` against InfluxDB 1.6.7
 * (`/write`, read back with InfluxQL). Every point is compared whole: measurement, tags, fields and their types,
 * time. Each suite writes into a database of its own, dropped at the end.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { RuntimeError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import { influxdbSink, InfluxDBSink, resolveConfig } from '../../src/sinks/influxdb/index.js';
import { InfluxDBSinkOptions } from '../../src/sinks/influxdb/options.js';
import { service, type ServiceName } from '../support/services.js';
import {
  createDatabase,
  dropDatabase,
  expectedPoints,
  fieldTypes,
  readFlux,
  readInfluxQL,
  type Point,
} from './influxdb-fixtures/read-back.js';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const location = { file: 'test', path: 'sink' };
const openContext = { queryId: 'test', queryName: 'test', outputMode: 'append' as const, logger: silentLogger };

const input: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'host', type: 'string' },
  { name: 'region', type: 'string' },
  { name: 'value', type: 'double' },
  { name: 'count', type: 'long' },
  { name: 'label', type: 'string' },
  { name: 'ok', type: 'boolean' },
];

/** Rows with every kind of value the sink writes, escaping cases, nulls, and two points sharing a time. */
function sampleRows(): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < 23; i++) {
    rows.push({
      timestamp: new Date(T0 + Math.floor(i / 2) * 250), // pairs share a time: told apart by their host tag
      host: i % 2 === 0 ? 'web 1,eu=x' : 'db-2',
      region: i % 5 === 0 ? null : 'eu-west',
      value: i === 7 ? null : i * 1.25 - 3,
      count: i * 1_000_000_007,
      label: i === 3 ? 'say "hi" \\ then\nbye, ünïcödé' : `row-${i}`,
      ok: i % 3 === 0,
    });
  }
  return rows;
}

interface Flavor {
  api: 'v1' | 'v2';
  server: ServiceName;
  /** Read back the way users of that API do: Flux for the 2.x API, InfluxQL for 1.x. */
  read(url: string, db: string, measurement: string): Promise<Point[]>;
}

const flavors: Flavor[] = [
  { api: 'v2', server: 'influxdb18', read: (url, db, m) => readFlux(url, `${db}/autogen`, m) },
  { api: 'v1', server: 'influxdb1', read: readInfluxQL },
];

for (const flavor of flavors) {
  const influx = service(flavor.server);

  describeOrSkip(`influxdb sink, api ${flavor.api}, against ${flavor.server}`, { skip: influx.skip }, () => {
    const db = `streamlab_test_${flavor.api}_${process.pid}`;
    const url = () => `http://${influx.address}`;
    const sinks: InfluxDBSink[] = [];
    const make = (options: Record<string, unknown>, schema: Schema = input) => {
      const sink = new InfluxDBSink({
        ...resolveConfig(InfluxDBSinkOptions.parse({ api: flavor.api, url: url(), bucket: db, ...options }), { input: schema, location }),
        retry: { initialDelayMs: 20, maxDelayMs: 200 },
      });
      sinks.push(sink);
      return sink;
    };

    before(async () => createDatabase(url(), db));
    after(async () => {
      for (const sink of sinks) await sink.close();
      if (!influx.skip) await dropDatabase(url(), db);
    });

    it('stores exactly the points of the rows: measurement, tags, typed fields, times', async () => {
      const sink = make({
        measurement: 'exact',
        tags: ['host', 'region'],
        fields: ['value', 'count', 'label', 'ok'],
        batchSize: 4,
        concurrency: 3,
      });
      await sink.open(openContext);
      const rows = sampleRows();
      await sink.foreachBatch(rows.slice(0, 10), 0);
      await sink.foreachBatch(rows.slice(10), 1);
      const expected = expectedPoints(rows, 'exact', ['host', 'region'], ['value', 'count', 'label', 'ok']);
      assert.equal(expected.length, 23);
      assert.deepEqual(await flavor.read(url(), db, 'exact'), expected);
      assert.deepEqual(await fieldTypes(url(), db, 'exact'), { count: 'integer', label: 'string', ok: 'boolean', value: 'float' });
    });

    it('writes each precision so that the server reads the same instant', async () => {
      const schema: Schema = [
        { name: 'timestamp', type: 'timestamp' },
        { name: 'value', type: 'double' },
      ];
      const at = T0 + 1234; // 09:00:01.234
      for (const precision of ['ns', 'us', 'ms', 's'] as const) {
        const sink = make({ measurement: `precision_${precision}`, precision }, schema);
        await sink.open(openContext);
        await sink.foreachBatch([{ timestamp: new Date(at), value: 1 }], 0);
        const [point] = await readInfluxQL(url(), db, `precision_${precision}`);
        assert.equal(point.time, precision === 's' ? T0 + 1000 : at, precision);
      }
    });

    it('a replayed batch overwrites its points instead of adding any', async () => {
      const sink = make({ measurement: 'replay', tags: ['host'], fields: ['value', 'count'] });
      await sink.open(openContext);
      const rows = sampleRows();
      await sink.foreachBatch(rows, 5);
      const first = await flavor.read(url(), db, 'replay');
      await sink.foreachBatch(rows, 5);
      await sink.foreachBatch(rows, 5);
      const after = await flavor.read(url(), db, 'replay');
      assert.deepEqual(after, first);
      assert.deepEqual(after, expectedPoints(rows, 'replay', ['host'], ['value', 'count']));
    });

    it(`names an unknown ${flavor.api === 'v1' ? 'database' : 'bucket'} and says how to create it, at open`, async () => {
      const missing = `no_such_db_${process.pid}`;
      const sink = make({ measurement: 'm', bucket: missing });
      await assert.rejects(sink.open(openContext), (error: unknown) => {
        assert.ok(error instanceof RuntimeError);
        const noun = flavor.api === 'v1' ? 'database' : 'bucket';
        assert.match(
          error.message,
          new RegExp(
            `^InfluxDB at ${url()}: ${noun} "${missing}" does not exist \\(HTTP 404: database not found: "${missing}"\\)\\. Create it: `,
          ),
        );
        assert.match(error.message, new RegExp(`CREATE DATABASE "${missing}"`));
        if (flavor.api === 'v2') assert.match(error.message, new RegExp(`influx bucket create --name ${missing}`));
        return true;
      });
    });

    it('names an unknown retention policy, and does not retry it', async () => {
      const sink = make({ measurement: 'm', bucket: `${db}/no_such_rp`, maxRetries: 5 });
      await sink.open(openContext); // an empty write does not reach the retention policy
      const started = Date.now();
      await assert.rejects(
        sink.foreachBatch([{ timestamp: new Date(T0), host: 'h', region: 'r', value: 1, count: 1, label: 'l', ok: true }], 0),
        new RegExp(
          `retention policy "no_such_rp" does not exist in database "${db}" \\(HTTP 500: retention policy not found: no_such_rp\\)\\. Create it with CREATE RETENTION POLICY`,
        ),
      );
      assert.ok(Date.now() - started < 2000, 'no backoff');
    });

    it('names the rows a field type conflict refuses', async () => {
      const doubles = make({ measurement: 'conflict', fields: ['value'] });
      await doubles.open(openContext);
      await doubles.foreachBatch([{ timestamp: new Date(T0), value: 1.5 }], 0);
      const strings: Schema = [
        { name: 'timestamp', type: 'timestamp' },
        { name: 'value', type: 'string' },
        { name: 'n', type: 'long' },
      ];
      const sink = make({ measurement: 'conflict', fields: ['value', 'n'] }, strings);
      await sink.open(openContext);
      const rows = [
        { timestamp: new Date(T0 + 1), value: null, n: 1 },
        { timestamp: new Date(T0 + 2), value: 'text', n: 2 },
        { timestamp: new Date(T0 + 3), value: 'more', n: 3 },
      ];
      await assert.rejects(sink.foreachBatch(rows, 9), (error: unknown) => {
        assert.ok(error instanceof RuntimeError);
        assert.equal(
          error.message,
          `InfluxDB at ${url()} rejected 2 point(s) of batch 9 (${flavor.api === 'v1' ? 'database' : 'bucket'} "${db}", measurement "conflict"): rows 2, 3: ` +
            'field "value" is written as string but the measurement already holds it as float. The other points of the request were written. ' +
            'a field keeps the type of its first value in a shard: cast the column (withColumn ... double(...)/int(...)) or write to a new measurement; the batch is not committed and the job stops.',
        );
        return true;
      });
      // "The other points were written": the row without the conflicting field is there.
      assert.deepEqual(
        (await readInfluxQL(url(), db, 'conflict')).map((p) => [p.time - T0, p.fields]),
        [
          [0, { value: 1.5 }],
          [1, { n: 1 }],
        ],
      );
    });

    if (flavor.api === 'v1') {
      it('api v2 against InfluxDB 1.6.7 (no /api/v2/write) says to use api v1', async () => {
        const sink = new InfluxDBSink(
          resolveConfig(InfluxDBSinkOptions.parse({ api: 'v2', url: url(), bucket: db, measurement: 'm' }), { input, location }),
        );
        sinks.push(sink);
        await assert.rejects(
          sink.open(openContext),
          /has no \/api\/v2\/write \(HTTP 404: 404 page not found\): InfluxDB 1.7 and older only have the 1.x API; set `api: v1`/,
        );
      });
    }

    it("is what the registry builds from a job's options", async () => {
      const sink = influxdbSink.create(
        InfluxDBSinkOptions.parse({ api: flavor.api, url: url(), bucket: db, measurement: 'registry', tags: ['host'] }),
        {
          input,
          location,
          queryName: 'q',
          compile: () => {
            throw new Error('unused');
          },
        },
      ) as InfluxDBSink;
      sinks.push(sink);
      await sink.open(openContext);
      const rows = sampleRows().slice(0, 4);
      await sink.foreachBatch(rows, 0);
      assert.deepEqual(await readInfluxQL(url(), db, 'registry'), expectedPoints(rows, 'registry', ['host'], ['value', 'count']));
    });
  });
}
