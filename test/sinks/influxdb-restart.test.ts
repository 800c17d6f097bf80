/**
 * The server goes away mid-run and comes back: no point may be lost once the job catches up. Runs against a
 * private InfluxDB (same binary and config as `npm run services`, own temp dir and ports, stopped and started by
 * its own PID), not the shared one, which other test files use at the same time.
 *
 * 1. A short outage: the sink retries with backoff, the query goes on by itself, and every row is there.
 * 2. An outage longer than the retries: the job stops without committing the batch; once the server is back, a
 *    restart on the same checkpoint writes the batch again, and every row is there, once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { RuntimeError } from '../../src/core/errors.js';
import { mapRows } from '../../src/core/operator.js';
import { StreamingQuery, type QueryDefinition } from '../../src/core/query.js';
import type { Schema } from '../../src/core/schema.js';
import { InfluxDBSink, resolveConfig } from '../../src/sinks/influxdb/index.js';
import { InfluxDBSinkOptions } from '../../src/sinks/influxdb/options.js';
import { RateMicroBatchSource } from '../../src/sources/rate-micro-batch.js';
import { service } from '../support/services.js';
import { PrivateInfluxd, type Flavor } from './influxdb-fixtures/private-influxd.js';
import { createDatabase, expectedPoints, readInfluxQL } from './influxdb-fixtures/read-back.js';
import { memoryLogger } from '../support/memory-logger.js';
import { sleep } from '../support/private-server.js';

const T0 = Date.UTC(2026, 10, 23, 15, 0, 0);
const ROWS_PER_BATCH = 50;
const schema: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'value', type: 'long' },
  { name: 'host', type: 'string' },
];
/** rate-micro-batch gives all rows of a batch one time: spread them, value v at T0 + v ms, on two hosts. */
const spread = mapRows((rows) =>
  rows.map((r) => ({ ...r, timestamp: new Date(T0 + (r.value as number)), host: `h${(r.value as number) % 2}` })),
);
const expected = (rows: number) =>
  expectedPoints(
    Array.from({ length: rows }, (_, v) => ({ timestamp: new Date(T0 + v), value: v, host: `h${v % 2}` })),
    'restart',
    ['host'],
    ['value'],
  );

for (const [flavor, api] of [
  ['influxdb18', 'v2'],
  ['influxdb1', 'v1'],
] as Array<[Flavor, 'v1' | 'v2']>) {
  const shared = service(flavor);

  describeOrSkip(`influxdb sink, api ${api}: a private ${flavor} stopped and started mid-run`, { skip: shared.skip }, () => {
    let server: PrivateInfluxd;
    let dir: string;

    before(async () => {
      if (!shared.skip) void shared.address;
      server = await PrivateInfluxd.create(flavor);
      dir = await mkdtemp(join(tmpdir(), 'streamlab-influx-restart-'));
    });
    after(async () => {
      await server?.destroy();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const definition = (db: string, maxRetries: number, checkpoint: string): QueryDefinition => ({
      name: `restart-${db}`,
      source: new RateMicroBatchSource(ROWS_PER_BATCH, T0, 1000),
      operators: [spread],
      sink: new InfluxDBSink({
        ...resolveConfig(
          InfluxDBSinkOptions.parse({
            api,
            url: server.url,
            bucket: db,
            measurement: 'restart',
            tags: ['host'],
            batchSize: 20,
            maxRetries,
          }),
          { input: schema, location: { path: 'sink' } },
        ),
        retry: { initialDelayMs: 50, maxDelayMs: 400 },
      }),
      trigger: { kind: 'default' },
      outputMode: 'append',
      checkpointLocation: join(dir, checkpoint),
    });

    it('a short outage: the sink retries, the job goes on, no point is lost', async () => {
      await createDatabase(server.url, 'outage');
      const logger = memoryLogger();
      // 90 retries of at most 400 ms: about 35 s of patience for an outage of about 1.5 s plus the restart, which takes
      // InfluxDB 1.8 up to 30 s on a loaded 2-core machine (it reopens its shards).
      const query = new StreamingQuery(definition('outage', 90, 'outage'), { logger, maxBatches: 12 });
      let outage: Promise<void> | undefined;
      const committedDuringOutage: number[] = [];
      let down = false;
      query.progress$.subscribe((p) => {
        if (down) committedDuringOutage.push(p.batchId);
        if (p.batchId === 2) {
          outage = (async () => {
            await server.stop();
            down = true; // the process has exited: nothing can be acknowledged until it runs again
            await sleep(1500);
            down = false;
            await server.start();
          })();
        }
      });
      await query.run();
      await outage;
      assert.ok(
        logger
          .messages('warn')
          .some((w) =>
            /^influxdb: batch \d+.* failed \(connect ECONNREFUSED .*\) at .*; retry \d+\/90 in \d+ ms \((gives up after ~\d+ s more|the last one)\)$/.test(
              w,
            ),
          ),
        `retries: ${logger.messages('warn').join('\n')}`,
      );
      assert.deepEqual(committedDuringOutage, [], 'no batch commits while the server is down');
      assert.deepEqual(await readInfluxQL(server.url, 'outage', 'restart'), expected(12 * ROWS_PER_BATCH));
    });

    it('an outage longer than the retries: the job stops uncommitted, a restart writes the batch again', async () => {
      await createDatabase(server.url, 'long_outage');
      await new StreamingQuery(definition('long_outage', 2, 'long'), { maxBatches: 3 }).run();
      await server.stop();
      const failed = new StreamingQuery(definition('long_outage', 2, 'long'));
      await assert.rejects(failed.run(), (error: unknown) => {
        // open()'s connection check is the first to find the server gone.
        assert.ok(error instanceof RuntimeError);
        assert.match(error.message, new RegExp(`^cannot reach InfluxDB at ${server.url}: connection refused`));
        return true;
      });

      // The same, but the server goes away after open(), in the middle of a batch.
      await server.start();
      const midBatch = new StreamingQuery(definition('long_outage', 2, 'long'));
      midBatch.progress$.subscribe((p) => {
        if (p.batchId === 4) void server.stop();
      });
      await assert.rejects(
        midBatch.run(),
        /cannot reach InfluxDB .*connection refused.*, while writing batch \d+ \(gave up after 3 attempts\)\. The batch is not committed/,
      );

      await server.start();
      const caughtUp = new StreamingQuery(definition('long_outage', 2, 'long'), { maxBatches: 3 });
      const batches: Array<[number, boolean]> = [];
      caughtUp.progress$.subscribe((p) => batches.push([p.batchId, p.recovered === true]));
      await caughtUp.run();
      assert.equal(batches[0][1], true, `the uncommitted batch ${batches[0][0]} is replayed first`);
      const last = batches[batches.length - 1][0];
      assert.deepEqual(await readInfluxQL(server.url, 'long_outage', 'restart'), expected((last + 1) * ROWS_PER_BATCH));
    });
  });
}
