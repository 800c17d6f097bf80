/**
 * The stream-static join with a database table as the static side (the lambda project's user_metadata enrichment),
 * against the real PostgreSQL and MariaDB of `npm run services -- up`: every joined row and field compared, the
 * refresh, the declared schema checked against the table (naming column, table, server), and the key types checked
 * when the job is built.
 */
import assert from 'node:assert/strict';
import { asyncScheduler } from 'rxjs';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { after, afterEach, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { MySqlTableSource } from '../../src/sources/mysql/index.js';
import { PostgresTableSource } from '../../src/sources/postgres/index.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { service } from '../support/services.js';
import { makeTempDir } from '../support/temp-dir.js';
import { buildTestJob, StreamHarness } from '../streaming/harness.js';

const postgres = service('postgres');
const mariadb = service('mariadb');
const TABLE = 'lake_user_metadata';
const SCHEMA = { id: 'string', name: 'string', email: 'string', quota: 'long', since: 'timestamp', prefs: 'struct' } as const;
const event = ([id, bytes]: [string | null, number]) => ({ id, bytes });
const since = (day: number) => new Date(Date.UTC(2026, 0, day, 8, 30, 15, 250));

/** The users both servers hold; u3's prefs is null, u9 has no row. */
const USERS = [
  { id: 'u1', name: 'Ann', email: 'ann@example.org', quota: 1000, since: since(1), prefs: { plan: 'basic', alerts: true } },
  { id: 'u2', name: "O'Brien", email: 'ob@example.org', quota: 2 ** 40, since: since(2), prefs: { plan: 'pro', alerts: false } },
  { id: 'u3', name: 'Zoë', email: null, quota: null, since: null, prefs: null },
];
const expectedJoin = [
  { ...USERS[0], bytes: 10 },
  { id: 'u9', bytes: 20, name: null, email: null, quota: null, since: null, prefs: null },
  { ...USERS[1], bytes: 30 },
  { ...USERS[2], bytes: 40 },
  { id: null, bytes: 50, name: null, email: null, quota: null, since: null, prefs: null },
];

let harness: StreamHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function joinRun(withSide: Record<string, unknown>, refreshInterval?: string) {
  harness = new StreamHarness({
    schema: { id: 'string', bytes: 'long' },
    toRow: event,
    operators: [{ join: { with: withSide, on: ['id'], how: 'left', ...(refreshInterval ? { refreshInterval } : {}) } }],
  }).start();
  await harness.addData(['u1', 10], ['u9', 20], ['u2', 30], ['u3', 40], [null, 50]);
  return harness;
}

describe('join with a table: key types checked when the job is built', () => {
  it('a string key against a long one is refused, naming both types and the option', () => {
    assert.throws(
      () =>
        buildTestJob(makeTempDir('streamlab-join-'), {
          schema: { id: 'long', bytes: 'long' },
          operators: [{ join: { with: { type: 'postgres', database: 'x', table: TABLE, schema: SCHEMA }, on: ['id'] } }],
          outputMode: 'append',
        }),
      (error) =>
        error instanceof ConfigError &&
        /operators\[0\]\.join\.on\[0\]: join column 'id' is long in the stream but string in the static side \(PostgresTableSource\[/.test(
          error.message,
        ),
    );
  });
});

describeOrSkip('join with a PostgreSQL table (postgres source)', { skip: postgres.skip, timeout: 60_000 }, () => {
  let admin: pg.Client;
  const side = (schema: Record<string, string> = SCHEMA, table = TABLE) => ({
    type: 'postgres',
    host: postgres.host,
    port: postgres.port,
    user: 'postgres',
    database: 'streamlab',
    table,
    schema,
  });
  before(async () => {
    admin = new pg.Client({ host: postgres.host, port: postgres.port, user: 'postgres', database: 'streamlab' });
    await admin.connect();
    await admin.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await admin.query(
      `CREATE TABLE ${TABLE} (id text PRIMARY KEY, name varchar(40), email text, quota bigint, since timestamptz, prefs jsonb, extra int)`,
    );
    for (const u of USERS) {
      await admin.query(`INSERT INTO ${TABLE} (id, name, email, quota, since, prefs, extra) VALUES ($1, $2, $3, $4, $5, $6, 7)`, [
        u.id,
        u.name,
        u.email,
        u.quota,
        u.since,
        u.prefs === null ? null : JSON.stringify(u.prefs),
      ]);
    }
  });
  after(async () => {
    await admin.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await admin.end();
  });

  it('left join: every stream row with every field of its user, nulls for an unknown id and a null key', async () => {
    const h = await joinRun(side());
    assert.deepEqual(
      h.lastBatch((r) => r),
      expectedJoin,
    );
  });

  it('refreshInterval 0s reads the table before every batch; the default reads it once', async () => {
    const everyBatch = await joinRun(side(), '0s');
    await admin.query(`UPDATE ${TABLE} SET quota = 5 WHERE id = 'u1'`);
    await everyBatch.addData(['u1', 60]);
    assert.deepEqual(
      everyBatch.lastBatch((r) => r.quota),
      [5],
    );
    await everyBatch.close();
    const once = await joinRun(side());
    await admin.query(`UPDATE ${TABLE} SET quota = 6 WHERE id = 'u1'`);
    await once.addData(['u1', 60]);
    assert.deepEqual(
      once.lastBatch((r) => r.quota),
      [5],
      'read once, at the first batch',
    );
    await admin.query(`UPDATE ${TABLE} SET quota = 1000 WHERE id = 'u1'`);
  });

  it('a wrong table fails the query when it starts, before any batch', async () => {
    harness = new StreamHarness({
      schema: { id: 'string', bytes: 'long' },
      toRow: event,
      operators: [{ join: { with: side({ id: 'string', quota: 'string' }), on: ['id'] } }],
    }).start();
    await assert.rejects(
      harness.awaitTermination(),
      /column 'quota' is bigint in the table \(reads as long\), but the schema declares it string/,
    );
    assert.equal(harness.progress.length, 0, 'no batch ran');
  });

  it('the declared schema is checked against the table when the source opens, naming column, table and server', async () => {
    const wrong = new PostgresTableSource(
      { host: postgres.host, port: postgres.port, user: 'postgres', password: '', database: 'streamlab', connectTimeout: 5000 },
      { schema: 'public', name: TABLE },
      [
        { name: 'id', type: 'long' },
        { name: 'nickname', type: 'string' },
      ],
    );
    await assert.rejects(
      wrong.open({ scheduler: asyncScheduler, logger: silentLogger }),
      new RegExp(
        `postgres source: public\\.${TABLE} in database streamlab on ${postgres.address}: column 'id' is text in the table \\(reads as string\\), but the schema declares it long; column 'nickname' is not in the table \\(its columns: id, name, email, quota, since, prefs, extra\\)`,
      ),
    );
    const missing = new PostgresTableSource(
      { host: postgres.host, port: postgres.port, user: 'postgres', password: '', database: 'streamlab', connectTimeout: 5000 },
      { schema: 'public', name: 'lake_no_such_table' },
      [{ name: 'id', type: 'string' }],
    );
    await assert.rejects(
      missing.open({ scheduler: asyncScheduler, logger: silentLogger }),
      /table public\.lake_no_such_table .* does not exist/,
    );
  });
});

describeOrSkip('join with a MariaDB table (mysql source)', { skip: mariadb.skip, timeout: 60_000 }, () => {
  let admin: mysql.Connection;
  const side = (schema: Record<string, string> = SCHEMA) => ({
    type: 'mysql',
    host: mariadb.host,
    port: mariadb.port,
    user: 'root',
    database: 'streamlab',
    table: TABLE,
    schema,
  });
  before(async () => {
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: 'streamlab', timezone: 'Z' });
    await admin.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await admin.query(
      `CREATE TABLE ${TABLE} (id varchar(20) PRIMARY KEY, name varchar(40), email text, quota bigint, since datetime(3), prefs json, extra int)`,
    );
    for (const u of USERS) {
      await admin.query(`INSERT INTO ${TABLE} VALUES (?, ?, ?, ?, ?, ?, 7)`, [
        u.id,
        u.name,
        u.email,
        u.quota,
        u.since,
        u.prefs === null ? null : JSON.stringify(u.prefs),
      ]);
    }
  });
  after(async () => {
    await admin.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await admin.end();
  });

  it('left join: every stream row with every field of its user (json prefs parsed, datetime as UTC)', async () => {
    const h = await joinRun(side());
    assert.deepEqual(
      h.lastBatch((r) => r),
      expectedJoin,
    );
  });

  it('the declared schema is checked against the table, naming column, table and server', async () => {
    const wrong = new MySqlTableSource(
      { host: mariadb.host, port: mariadb.port, user: 'root', password: '', database: 'streamlab', connectTimeout: 5000 },
      TABLE,
      [{ name: 'quota', type: 'timestamp' }],
    );
    await assert.rejects(
      wrong.open({ scheduler: asyncScheduler, logger: silentLogger }),
      new RegExp(
        `mysql source: streamlab\\.${TABLE} on ${mariadb.address}: column 'quota' is bigint\\(20\\) in the table, but the schema declares it timestamp`,
      ),
    );
  });
});
