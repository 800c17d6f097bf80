/**
 * The cassandra sink against a private Cassandra 5 with PasswordAuthenticator (same jars and config as `npm run
 * services`, own temp dir and ports, stopped and started by its own PID), not the shared one, which other test
 * files use at the same time:
 *
 * 1. Authentication: a wrong password and missing credentials fail at open(), at once, naming the user and never
 *    the password.
 * 2. The node stops mid-run and comes back: the sink retries the unacknowledged INSERTs with backoff, no batch
 *    commits while the node is down, and once the job has caught up every row is in the table, once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { RuntimeError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Schema } from '../../src/core/schema.js';
import { CassandraSink, CassandraSinkOptions, resolveConfig } from '../../src/sinks/cassandra/index.js';
import { RateMicroBatchSource } from '../../src/sources/rate-micro-batch.js';
import { service } from '../support/services.js';
import { PrivateCassandra, SUPERUSER } from './cassandra-fixtures/private-cassandra.js';
import { client, readTable } from './cassandra-fixtures/read-back.js';
import { memoryLogger } from '../support/memory-logger.js';
import { sleep } from '../support/private-server.js';

const shared = service('cassandra');
const T0 = Date.UTC(2026, 10, 23, 15, 0, 0);
const ROWS_PER_BATCH = 200;
const BATCHES = 8;
const schema: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'value', type: 'long' },
];

// Only where the shared Cassandra runs: that is where its jars and Java 17 are installed.
const options = { skip: shared.skip, timeout: 600_000 };
describeOrSkip('cassandra sink: a private Cassandra with authentication, stopped and started mid-run', options, () => {
  let server: PrivateCassandra;
  let dir: string;

  before(async () => {
    if (!shared.skip) void shared.address; // under CI=true, fail here if the shared server (and so the install) is missing
    server = await PrivateCassandra.create({ auth: true });
    await server.execute("CREATE KEYSPACE streamlab WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    dir = await mkdtemp(join(tmpdir(), 'streamlab-cassandra-outage-'));
  });
  after(async () => {
    await server?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const sink = (options: Record<string, unknown>, retry = { initialDelayMs: 100, maxDelayMs: 1000 }) => {
    const config = resolveConfig(
      CassandraSinkOptions.parse({
        contactPoints: server.address,
        keyspace: 'streamlab',
        table: 'outage',
        create: { primaryKey: ['value'] },
        ...options,
      }),
      { input: schema, location: { path: 'sink' } },
    );
    return new CassandraSink({ ...config, connection: { ...config.connection, retry } });
  };
  const open = (s: CassandraSink, logger: Logger) => s.open({ queryId: 'q', queryName: 'outage', outputMode: 'append', logger });

  it('a wrong password fails at open(), at once, naming the user and not the password', async () => {
    const password = 'not-the-password-4711';
    const logger = memoryLogger();
    await assert.rejects(open(sink({ ...SUPERUSER, password }), logger), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.match(
        error.message,
        new RegExp(
          `^cassandra sink: Cassandra at ${server.address} refused the credentials of user 'cassandra' \\(.*\\); check username and password \\(CASSANDRA_USERNAME, CASSANDRA_PASSWORD\\)$`,
        ),
      );
      assert.ok(!error.message.includes(password), error.message);
      assert.ok(!String((error.cause as Error)?.message).includes(password), "nor does the driver's own error");
      return true;
    });
    assert.deepEqual(logger.messages('warn'), [], 'a refused login is not retried');
  });

  it('no credentials for a cluster that requires them: says so', async () => {
    const logger = memoryLogger();
    await assert.rejects(
      open(sink({}), logger),
      /^RuntimeError: cassandra sink: Cassandra at .* requires a user name and password \(its authenticator said: .*\); set username and password \(CASSANDRA_USERNAME, CASSANDRA_PASSWORD\)$/,
    );
  });

  it('the node stops for a while mid-run: the sink retries, no batch commits meanwhile, no row is lost', async () => {
    const logger = memoryLogger();
    // 100 retries of at most 1 s: patience for an outage of about 20-40 s (stop, a pause, a restart of Cassandra).
    const query = new StreamingQuery(
      {
        name: 'outage',
        source: new RateMicroBatchSource(ROWS_PER_BATCH, T0, 1000),
        operators: [],
        sink: sink({ ...SUPERUSER, maxRetries: 100 }),
        trigger: { kind: 'default' },
        outputMode: 'append',
        checkpointLocation: join(dir, 'checkpoint'),
      },
      { logger, maxBatches: BATCHES },
    );
    let down = false;
    const committedWhileDown: number[] = [];
    let outage: Promise<void> | undefined;
    let openWhileDown: unknown;
    query.progress$.subscribe((p) => {
      if (down) committedWhileDown.push(p.batchId);
      if (p.batchId === 1) {
        outage = (async () => {
          await server.stop();
          down = true; // the process has exited: nothing can be acknowledged until it runs again
          // Meanwhile a job starting now gives up after its retries and names the contact point.
          openWhileDown = await open(sink({ ...SUPERUSER, maxRetries: 1 }, { initialDelayMs: 50, maxDelayMs: 50 }), memoryLogger()).catch(
            (e: unknown) => e,
          );
          await sleep(1000);
          down = false;
          await server.start();
        })();
      }
    });
    await query.run();
    await outage;

    assert.ok(openWhileDown instanceof RuntimeError);
    assert.match(
      openWhileDown.message,
      new RegExp(
        `^cassandra sink: cannot reach Cassandra at ${server.address} \\(${server.address}: connect ECONNREFUSED .*\\); is Cassandra running .*\\(gave up after 2 attempts\\)$`,
      ),
    );
    assert.ok(
      logger
        .messages('warn')
        .some((w) =>
          new RegExp(
            `^cassandra sink: batch \\d+: \\d+ of ${ROWS_PER_BATCH} rows not written yet \\(.*\\) at Cassandra at ${server.address}; retry \\d+/100 in \\d+ ms \\((gives up after ~\\d+ s more|the last one)\\)$`,
          ).test(w),
        ),
      `retries logged:\n${logger.messages('warn').slice(0, 5).join('\n')}`,
    );
    assert.deepEqual(committedWhileDown, [], 'no batch commits while the node is down');
    const c = client(server.address, SUPERUSER);
    try {
      const expected = Array.from({ length: BATCHES * ROWS_PER_BATCH }, (_, v) => ({
        value: v,
        timestamp: new Date(T0 + Math.floor(v / ROWS_PER_BATCH) * 1000),
      }));
      assert.deepEqual(await readTable(c, 'streamlab', 'outage', 'value'), expected);
    } finally {
      await c.shutdown();
    }
  });
});
