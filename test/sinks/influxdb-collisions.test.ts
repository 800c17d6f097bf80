/**
 * No silent loss in the influxdb sink, against the real servers (`api: v2` on InfluxDB 1.8.10 read back with Flux,
 * `api: v1` on 1.6.7 read back with InfluxQL), every point compared whole with its nanosecond time:
 * - rows sharing a series and a millisecond (the rate source at 2,000 rows/s) are each a point of their own, and a
 *   replayed batch writes exactly the same points again;
 * - in update mode such rows are refused, naming them and saying to key them with tags;
 * - tab and carriage return in tag values, tag keys, field keys and the measurement are stored exactly; a newline
 *   in a tag value is refused with its row and column; a measurement starting with `#` (a comment line) is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { ConfigError, RuntimeError } from '../../src/core/errors.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import type { OutputMode } from '../../src/core/sink.js';
import { InfluxDBSink, resolveConfig } from '../../src/sinks/influxdb/index.js';
import { InfluxDBSinkOptions } from '../../src/sinks/influxdb/options.js';
import { RateSource } from '../../src/sources/rate.js';
import { service, type ServiceName } from '../support/services.js';
import {
  createDatabase,
  dropDatabase,
  fieldTypes,
  type NanoPoint,
  readFluxNanos,
  readInfluxQLNanos,
  sortNanoPoints,
} from './influxdb-fixtures/read-back.js';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const location = { file: 'test', path: 'sink' };
const logger = { info() {}, warn() {}, error() {} };
const context = (outputMode: OutputMode = 'append') => ({ queryId: 'test', queryName: 'test', outputMode, logger });

/** The rate source's batches for seconds (0, 1] and (1, 2] at 2,000 rows/s, as the engine asks for them. */
async function rateBatches(): Promise<Row[][]> {
  const source = new RateSource(2000, 0);
  await source.open({ scheduler: { now: () => T0 } as never, logger });
  return [source.getBatch(null, 1), source.getBatch(1, 2)];
}

/**
 * The points rows must become, worked out independently of the sink: in batch b, the k-th row of one series and
 * millisecond is (b mod 100) * 10,000 + k nanoseconds after that millisecond.
 */
function expectedNanoPoints(batches: Row[][], measurement: string, tags: string[], fields: string[]): NanoPoint[] {
  const points: NanoPoint[] = [];
  for (const [batchId, rows] of batches.entries()) {
    const seen = new Map<string, number>();
    for (const row of rows) {
      const tagSet = Object.fromEntries(tags.map((t) => [t, String(row[t])]));
      const ms = (row.timestamp as Date).getTime();
      const key = JSON.stringify([tagSet, ms]);
      const k = seen.get(key) ?? 0;
      seen.set(key, k + 1);
      points.push({
        measurement,
        tags: tagSet,
        fields: Object.fromEntries(fields.map((f) => [f, row[f] as number | string | boolean])),
        time: String(BigInt(ms) * 1_000_000n + BigInt((batchId % 100) * 10_000 + k)),
      });
    }
  }
  return sortNanoPoints(points);
}

interface Flavor {
  api: 'v1' | 'v2';
  server: ServiceName;
  read(url: string, db: string, measurement: string): Promise<NanoPoint[]>;
}

const flavors: Flavor[] = [
  { api: 'v2', server: 'influxdb18', read: (url, db, m) => readFluxNanos(url, `${db}/autogen`, m) },
  { api: 'v1', server: 'influxdb1', read: readInfluxQLNanos },
];

const rateSchema: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'value', type: 'long' },
  { name: 'job', type: 'string' },
  { name: 'half', type: 'double' },
];
const withTagAndDouble = (rows: Row[]): Row[] => rows.map((r) => ({ ...r, job: 'rate', half: (r.value as number) / 2 }));

for (const flavor of flavors) {
  const influx = service(flavor.server);

  describeOrSkip(`influxdb sink keeps every row, api ${flavor.api}, against ${flavor.server}`, { skip: influx.skip }, () => {
    const db = `streamlab_collide_${flavor.api}_${process.pid}`;
    const url = () => `http://${influx.address}`;
    const sinks: InfluxDBSink[] = [];
    const make = (options: Record<string, unknown>, schema: Schema) => {
      const config = resolveConfig(InfluxDBSinkOptions.parse({ api: flavor.api, url: url(), bucket: db, ...options }), {
        input: schema,
        location,
      });
      const sink = new InfluxDBSink({ ...config, retry: { initialDelayMs: 20, maxDelayMs: 200 } });
      sinks.push(sink);
      return sink;
    };

    before(async () => createDatabase(url(), db));
    after(async () => {
      for (const sink of sinks) await sink.close();
      if (!influx.skip) await dropDatabase(url(), db);
    });

    it('the rate source at 2,000 rows/s: every row is a point, every field, and a replay writes the same points', async () => {
      const batches = (await rateBatches()).map(withTagAndDouble);
      assert.equal(batches[0].length + batches[1].length, 4000);
      const ms = (r: Row) => (r.timestamp as Date).getTime();
      const sameMs = batches[0].filter((r, i) => i > 0 && ms(r) === ms(batches[0][i - 1]));
      assert.ok(sameMs.length >= 900, `the rate source puts two rows in most milliseconds (${sameMs.length})`);
      assert.equal(ms(batches[0].at(-1)!), ms(batches[1][0]), 'and the last row of a second in the same ms as the next batch');

      const sink = make({ measurement: 'rate2000', tags: ['job'], fields: ['value', 'half'], batchSize: 700, concurrency: 3 }, rateSchema);
      await sink.open(context());
      await sink.foreachBatch(batches[0], 0);
      await sink.foreachBatch(batches[1], 1);
      const expected = expectedNanoPoints(batches, 'rate2000', ['job'], ['value', 'half']);
      const written = await flavor.read(url(), db, 'rate2000');
      assert.equal(written.length, 4000);
      assert.deepEqual(written, expected);
      assert.deepEqual(await fieldTypes(url(), db, 'rate2000'), { half: 'float', value: 'integer' });

      // A replay (same batch id, same rows, another request split) lands on exactly the same points.
      const replaying = make({ measurement: 'rate2000', tags: ['job'], fields: ['value', 'half'], batchSize: 333 }, rateSchema);
      await replaying.open(context());
      await replaying.foreachBatch(batches[1], 1);
      assert.deepEqual(await flavor.read(url(), db, 'rate2000'), expected);
    });

    it('rows of consecutive batches with one series and time are both kept; 100 batches later, the later row wins', async () => {
      const sink = make({ measurement: 'across', tags: ['job'], fields: ['value', 'half'] }, rateSchema);
      await sink.open(context());
      const at = new Date(T0 + 5);
      await sink.foreachBatch([{ timestamp: at, value: 1, job: 'a', half: 0.5 }], 0);
      await sink.foreachBatch([{ timestamp: at, value: 2, job: 'a', half: 1 }], 1);
      await sink.foreachBatch([{ timestamp: at, value: 3, job: 'a', half: 1.5 }], 100);
      assert.deepEqual(await flavor.read(url(), db, 'across'), [
        { measurement: 'across', tags: { job: 'a' }, fields: { half: 1.5, value: 3 }, time: `${T0 + 5}000000` },
        { measurement: 'across', tags: { job: 'a' }, fields: { half: 1, value: 2 }, time: `${T0 + 5}010000` },
      ]);
    });

    it('in update mode, times are exact and a later batch replaces the point of the same key', async () => {
      const sink = make({ measurement: 'update_upsert', tags: ['job'], fields: ['value'] }, rateSchema);
      await sink.open(context('update'));
      const at = new Date(T0);
      await sink.foreachBatch([{ timestamp: at, value: 1, job: 'a', half: 0 }], 3);
      await sink.foreachBatch([{ timestamp: at, value: 2, job: 'a', half: 0 }], 4);
      assert.deepEqual(await flavor.read(url(), db, 'update_upsert'), [
        { measurement: 'update_upsert', tags: { job: 'a' }, fields: { value: 2 }, time: `${T0}000000` },
      ]);
    });

    it('in update mode, rows with the same series and time are refused, naming them and the fix', async () => {
      const sink = make({ measurement: 'update_mode', tags: ['job'], fields: ['value'] }, rateSchema);
      await sink.open(context('update'));
      const at = new Date(T0);
      const rows = [
        { timestamp: at, value: 1, job: 'a', half: 0 },
        { timestamp: at, value: 2, job: 'b', half: 0 },
        { timestamp: at, value: 3, job: 'a', half: 0 },
      ];
      await assert.rejects(sink.foreachBatch(rows, 4), (error: unknown) => {
        assert.ok(error instanceof RuntimeError);
        assert.match(
          error.message,
          /^influxdb sink: batch 4, rows 1 and 3 have the same measurement, tags and time \(series "update_mode,job=a"\), so InfluxDB would keep only one of them\. In update output mode .* list the grouping columns .* in `tags`$/,
        );
        return true;
      });
      assert.deepEqual(await flavor.read(url(), db, 'update_mode'), []);
    });

    it('stores tab and carriage return exactly in the measurement, tag keys and values, and field keys', async () => {
      const schema: Schema = [
        { name: 'timestamp', type: 'timestamp' },
        { name: 'ho\tst', type: 'string' },
        { name: 'va\rl', type: 'double' },
      ];
      const measurement = 'tab\tand\rcr';
      const sink = make({ measurement, tags: ['ho\tst'], fields: ['va\rl'] }, schema);
      await sink.open(context());
      const values = ['a\tb', 'c\rd', '\t', 'e, f=g\t', 'tail\r'];
      const rows = values.map((v, i) => ({ timestamp: new Date(T0 + i), 'ho\tst': v, 'va\rl': i + 0.5 }));
      await sink.foreachBatch(rows, 0);
      // InfluxQL on both servers: Flux's CSV answer drops a carriage return (Go's encoding/csv with UseCRLF).
      assert.deepEqual(
        await readInfluxQLNanos(url(), db, measurement),
        sortNanoPoints(
          values.map((v, i) => ({ measurement, tags: { 'ho\tst': v }, fields: { 'va\rl': i + 0.5 }, time: `${T0 + i}000000` })),
        ),
      );
    });

    it('refuses a newline in a tag value, naming the batch, row and column, and writes nothing of the request', async () => {
      const sink = make({ measurement: 'newline', tags: ['job'], fields: ['value'] }, rateSchema);
      await sink.open(context());
      const rows = [
        { timestamp: new Date(T0), value: 1, job: 'fine', half: 0 },
        { timestamp: new Date(T0 + 1), value: 2, job: 'two\nlines', half: 0 },
      ];
      await assert.rejects(
        sink.foreachBatch(rows, 7),
        /influxdb sink: batch 7, row 2: column "job": the tag value string "two\\nlines" contains a newline, which line protocol cannot carry in a tag/,
      );
      assert.deepEqual(await flavor.read(url(), db, 'newline'), []);
    });
  });
}

describe('influxdb sink names that line protocol cannot carry', () => {
  const schema: Schema = [
    { name: 'timestamp', type: 'timestamp' },
    { name: 'value', type: 'double' },
    { name: 'a\nb', type: 'string' },
  ];
  const resolve = (options: Record<string, unknown>) =>
    resolveConfig(InfluxDBSinkOptions.parse({ url: 'http://127.0.0.1:1', bucket: 'b', fields: ['value'], ...options }), {
      input: schema,
      location: { file: 'jobs/x.yaml', path: 'sink' },
    });

  it('refuses a measurement that starts with "#" (a comment line: the points would be dropped) at build time', () => {
    assert.throws(
      () => resolve({ measurement: '#cpu' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((p) => [p.file, p.path]),
          [['jobs/x.yaml', 'sink.measurement']],
        );
        assert.match(error.problems[0].message, /"#cpu" starts with "#": line protocol reads such a line as a comment/);
        return true;
      },
    );
  });

  it('refuses a newline in the measurement, a tag key or a field key, naming the option', () => {
    assert.throws(
      () => resolve({ measurement: 'm\nx', tags: ['a\nb'] }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((p) => p.path),
          ['sink.measurement', 'sink.tags[0]'],
        );
        for (const problem of error.problems) assert.match(problem.message, /newline/);
        return true;
      },
    );
  });
});
