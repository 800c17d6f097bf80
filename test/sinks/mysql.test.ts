/**
 * The mysql sink against the real MariaDB that `npm run services -- up mariadb` starts. Every test reads the whole
 * table back and compares every row and field.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import { ConfigError, RuntimeError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import type { Sink } from '../../src/core/sink.js';
import { mysqlSink } from '../../src/sinks/mysql/index.js';
import { quoteIdentifier } from '../../src/connectors/mysql/identifiers.js';
import { RateMicroBatchSource } from '../../src/sources/rate-micro-batch.js';
import { memoryLogger } from '../support/memory-logger.js';
import { service } from '../support/services.js';

const mariadb = service('mariadb');
const DATABASE = 'streamlab';

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

let counter = 0;
const uniqueTable = (stem: string) => `${stem}_${process.pid}_${++counter}`;

/** Builds the sink through its definition (schema defaults, column mapping), as a job file would. */
function buildSink(options: Record<string, unknown>, input: Schema): Sink {
  const parsed = mysqlSink.options.parse({
    host: mariadb.host,
    port: mariadb.port,
    user: 'root',
    database: DATABASE,
    maxRetries: 3,
    ...options,
  });
  return mysqlSink.create(parsed, {
    input,
    location: { file: 'test.yaml', path: 'sink' },
    queryName: 'test',
    compile: () => assert.fail('no expressions'),
  });
}

async function openSink(sink: Sink, logger: Logger = memoryLogger(), queryId = randomUUID()): Promise<Sink> {
  await sink.open({ queryId, queryName: 'test', outputMode: 'append', logger });
  return sink;
}

describeOrSkip('mysql sink against MariaDB', { skip: mariadb.skip }, () => {
  let admin: mysql.Connection;
  const tables: string[] = [];

  const readTable = async (table: string, orderBy: string) => {
    const [rows] = await admin.query(`SELECT * FROM ${quoteIdentifier(DATABASE)}.${quoteIdentifier(table)} ORDER BY ${orderBy}`);
    return (rows as mysql.RowDataPacket[]).map((r) => ({ ...r }));
  };
  const table = (stem: string) => {
    const name = uniqueTable(stem);
    tables.push(name);
    return name;
  };

  before(async () => {
    admin = await mysql.createConnection({
      host: mariadb.host,
      port: mariadb.port,
      user: 'root',
      database: DATABASE,
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
    });
  });

  after(async () => {
    for (const t of tables) await admin?.query(`DROP TABLE IF EXISTS ${quoteIdentifier(t)}`);
    await admin?.end();
  });

  it('creates the table from the input schema and stores every value exactly (all column types, nulls, unicode, quotes)', async () => {
    const name = table('types');
    const input: Schema = [
      { name: 'id', type: 'long' },
      { name: 'name', type: 'string' },
      { name: 'reading', type: 'double' },
      { name: 'ok', type: 'boolean' },
      { name: 'ts', type: 'timestamp' },
      { name: 'tags', type: 'array' },
      { name: 'meta', type: 'struct' },
    ];
    const rows: Row[] = [
      {
        id: 1,
        name: 'alpha',
        reading: 1.5,
        ok: true,
        ts: new Date('2024-05-01T10:00:00.123Z'),
        tags: ['a', 'b'],
        meta: { unit: 'C', n: 2 },
      },
      {
        id: 2,
        name: 'béta ✓ \'quoted\' "double" back\\slash',
        reading: -2.25e-8,
        ok: false,
        ts: new Date('1999-12-31T23:59:59.999Z'),
        tags: [],
        meta: {},
      },
      { id: 3, name: null, reading: null, ok: null, ts: null, tags: null, meta: null },
      {
        id: 9007199254740991,
        name: 'tab\there\nnewline\r\0nul',
        reading: 1.7976931348623157e308,
        ok: true,
        ts: new Date(0),
        tags: [1, [2]],
        meta: { nested: { deep: true } },
      },
    ];
    const sink = await openSink(buildSink({ table: name, create: { primaryKey: ['id'] } }, input));
    await sink.foreachBatch(rows, 0);
    await sink.close();

    const read = await readTable(name, 'id');
    assert.deepEqual(
      // MariaDB marks JSON columns, and mysql2 then parses them; MySQL returns them as JSON too.
      read.map((r) => ({ ...r, ok: r.ok === null ? null : r.ok === 1, tags: json(r.tags), meta: json(r.meta) })),
      rows,
    );
    const [columns] = await admin.query(
      'SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t, IS_NULLABLE AS n, COLUMN_KEY AS k FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [DATABASE, name],
    );
    assert.deepEqual(
      (columns as mysql.RowDataPacket[]).map((c) => `${c.c} ${c.t}${c.n === 'NO' ? ' not null' : ''}${c.k === 'PRI' ? ' pk' : ''}`),
      ['id bigint(20) not null pk', 'name text', 'reading double', 'ok tinyint(1)', 'ts datetime(3)', 'tags longtext', 'meta longtext'],
    );
  });

  it('maps input columns to table columns with `columns`, and splits a batch into statements of batchSize rows', async () => {
    const name = table('mapped');
    await admin.query(
      `CREATE TABLE ${quoteIdentifier(name)} (reading BIGINT PRIMARY KEY, at DATETIME(3) NOT NULL, note VARCHAR(20) DEFAULT 'untouched')`,
    );
    const source = new RateMicroBatchSource(25, 1_700_000_000_000, 1000);
    const rows = source.getBatch(null, 25);
    const logger = memoryLogger();
    const sink = await openSink(
      buildSink({ table: name, columns: { at: 'timestamp', reading: 'value' }, batchSize: 7 }, source.schema),
      logger,
    );
    await sink.foreachBatch(rows, 0);
    await sink.close();
    assert.deepEqual(
      await readTable(name, 'reading'),
      rows.map((r) => ({ reading: r.value, at: r.timestamp, note: 'untouched' })),
    );
  });

  it('a replayed batch is skipped: the (query id, batch id) row in the commit table commits with the rows', async () => {
    const name = table('replay');
    const input: Schema = [
      { name: 'k', type: 'long' },
      { name: 'v', type: 'string' },
    ];
    const queryId = randomUUID();
    const logger = memoryLogger();
    const sink = await openSink(buildSink({ table: name, create: { primaryKey: ['k'] } }, input), logger, queryId);
    await sink.foreachBatch(
      [
        { k: 1, v: 'one' },
        { k: 2, v: 'two' },
      ],
      0,
    );
    await sink.foreachBatch(
      [
        { k: 1, v: 'one' },
        { k: 2, v: 'two' },
      ],
      0,
    ); // same batch again: no duplicate key error, no rows
    await sink.foreachBatch([{ k: 3, v: 'three' }], 1);
    await sink.close();
    assert.deepEqual(await readTable(name, 'k'), [
      { k: 1, v: 'one' },
      { k: 2, v: 'two' },
      { k: 3, v: 'three' },
    ]);
    assert.ok(
      logger.lines.some((l) => /batch 0 was already written .*2 rows.*skipped/.test(l)),
      logger.lines.join('\n'),
    );
    const [commits] = await admin.query(
      'SELECT batch_id, table_name, num_rows FROM streamlab_commits WHERE query_id = ? ORDER BY batch_id',
      [queryId],
    );
    assert.deepEqual(
      (commits as mysql.RowDataPacket[]).map((c) => ({ ...c })),
      [
        { batch_id: 0, table_name: name, num_rows: 2 },
        { batch_id: 1, table_name: name, num_rows: 1 },
      ],
    );
  });

  it('upsert replaces the non-key values of rows whose key exists and inserts the others', async () => {
    const name = table('upsert');
    const input: Schema = [
      { name: 'sensor', type: 'string' },
      { name: 'temp', type: 'double' },
      { name: 'ts', type: 'timestamp' },
    ];
    const sink = await openSink(buildSink({ table: name, mode: 'upsert', create: { primaryKey: ['sensor'] } }, input));
    const t0 = new Date('2024-01-01T00:00:00.000Z');
    const t1 = new Date('2024-01-01T00:00:01.000Z');
    await sink.foreachBatch(
      [
        { sensor: 'a', temp: 1, ts: t0 },
        { sensor: 'b', temp: 2, ts: t0 },
      ],
      0,
    );
    await sink.foreachBatch(
      [
        { sensor: 'b', temp: 20, ts: t1 },
        { sensor: 'c', temp: 3, ts: t1 },
      ],
      1,
    );
    await sink.close();
    assert.deepEqual(await readTable(name, 'sensor'), [
      { sensor: 'a', temp: 1, ts: t0 },
      { sensor: 'b', temp: 20, ts: t1 },
      { sensor: 'c', temp: 3, ts: t1 },
    ]);
  });

  it('append: a key that exists is an error that suggests upsert, and the batch leaves nothing behind', async () => {
    const name = table('dup');
    const input: Schema = [{ name: 'k', type: 'long' }];
    const sink = await openSink(buildSink({ table: name, create: { primaryKey: ['k'] } }, input));
    await sink.foreachBatch([{ k: 1 }], 0);
    await assert.rejects(sink.foreachBatch([{ k: 2 }, { k: 1 }], 1), (error: Error) => {
      assert.ok(error instanceof RuntimeError);
      assert.match(error.message, /key that is already in streamlab\.dup_\d+_\d+ .*Duplicate entry '1'.*use mode: upsert/);
      return true;
    });
    await sink.close();
    assert.deepEqual(await readTable(name, 'k'), [{ k: 1 }], 'k = 2 of the failed batch was rolled back');
  });

  it('a value that does not fit names the column and the row of the batch, and nothing of the batch is written', async () => {
    const name = table('fit');
    await admin.query(`CREATE TABLE ${quoteIdentifier(name)} (id INT PRIMARY KEY, code VARCHAR(3) NOT NULL, small TINYINT)`);
    const input: Schema = [
      { name: 'id', type: 'long' },
      { name: 'code', type: 'string' },
      { name: 'small', type: 'long' },
    ];
    const sink = await openSink(buildSink({ table: name, batchSize: 2 }, input));
    const rows = [
      { id: 1, code: 'abc', small: 1 },
      { id: 2, code: 'def', small: 2 },
      { id: 3, code: 'ghi', small: 3 },
    ];
    await assert.rejects(
      sink.foreachBatch([...rows, { id: 4, code: 'toolong', small: 4 }], 0),
      /does not fit its column in streamlab\.fit_\d+_\d+ on [\d.:]+ \(row 3 of the batch\): Data too long for column 'code'\. Nothing of this batch was written/,
    );
    await assert.rejects(
      sink.foreachBatch([...rows, { id: 4, code: 'ok', small: 300 }], 0),
      /\(row 3 of the batch\): Out of range value for column 'small'\./,
    );
    await assert.rejects(
      sink.foreachBatch([{ id: 5, code: 'nan', small: Number.NaN }], 0),
      /mysql sink: batch 0, row 1: column small of streamlab\.fit_\d+_\d+: NaN has no SQL value \(MySQL stores no NaN or infinity\)$/,
    );
    await assert.rejects(sink.foreachBatch([{ id: 6, code: null, small: 1 }], 0), /does not fit its column.*Column 'code' cannot be null/);
    await sink.foreachBatch(rows, 0);
    await sink.close();
    assert.deepEqual(await readTable(name, 'id'), rows);
  });

  it('row values cannot inject SQL: they are stored verbatim', async () => {
    const name = table('inject');
    const input: Schema = [
      { name: 'id', type: 'long' },
      { name: 'text', type: 'string' },
    ];
    const attacks = [
      "'); DROP TABLE streamlab_commits; --",
      "\\'; DELETE FROM x; --",
      "' OR '1'='1",
      '" ; SELECT SLEEP(5); --',
      '`; DROP DATABASE streamlab; --',
      "\\\\'\\0\\Z\u001a",
      '\u0000\u0008\u0009\u001a',
    ];
    const rows = attacks.map((text, id) => ({ id, text }));
    const sink = await openSink(buildSink({ table: name, create: { primaryKey: ['id'] } }, input));
    await sink.foreachBatch(rows, 0);
    await sink.close();
    assert.deepEqual(await readTable(name, 'id'), rows);
    const [still] = await admin.query(
      "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'streamlab' AND TABLE_NAME = 'streamlab_commits'",
    );
    assert.equal((still as mysql.RowDataPacket[])[0].n, 1);
  });

  it('a table, database or column name from config that is not a plain name is rejected before anything connects', () => {
    for (const bad of ['x; DROP TABLE y', 'x`y', 'a.b', 'tbl -- ', '', '1abc', 'x'.repeat(65)]) {
      const result = mysqlSink.options.safeParse({ database: 'streamlab', table: bad });
      assert.equal(result.success, false, bad);
      assert.match(result.error!.issues[0].message, /plain SQL name/);
      assert.equal(mysqlSink.options.safeParse({ database: bad, table: 't' }).success, false, bad);
    }
    assert.throws(
      () => buildSink({ table: 't', columns: { 'v`; DROP TABLE t; --': 'value', ok: 'nope' } }, [{ name: 'value', type: 'long' }]),
      (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 2);
        assert.match(error.message, /sink\.columns\.v`; DROP TABLE t; --: the table column name .* is not a plain SQL name/);
        assert.match(error.message, /sink\.columns\.ok: unknown input column "nope"; the input has: value: long/);
        return true;
      },
    );
    assert.throws(
      () => buildSink({ table: 't' }, [{ name: 'a.b', type: 'long' }]),
      /input column "a\.b" is not a plain SQL name: .*; map it to a table column, e\.g\. columns: \{ my_name: "a\.b" \}/,
    );
    assert.throws(
      () => buildSink({ table: 't', create: { primaryKey: ['id'] } }, [{ name: 'value', type: 'long' }]),
      /sink\.create\.primaryKey: "id" is not a column of the table; its columns are: value/,
    );
  });

  it('wrong password: a clear access-denied error that does not contain the password, and no retries', async () => {
    const user = `sl_test_${process.pid}`;
    const password = `right-${randomUUID()}`;
    const wrong = `wrong-${randomUUID()}`;
    await admin.query(`CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY '${password}'`);
    try {
      await admin.query(`GRANT ALL ON streamlab.* TO '${user}'@'%'`);
      const logger = memoryLogger();
      const started = Date.now();
      await assert.rejects(
        openSink(buildSink({ table: 'x', user, password: wrong }, [{ name: 'v', type: 'long' }]), logger),
        (error: Error) => {
          assert.ok(error instanceof RuntimeError);
          assert.match(
            error.message,
            new RegExp(`mysql sink: access denied by ${mariadb.address}: Access denied for user '${user}'.*Check user and password`),
          );
          assert.ok(!error.message.includes(wrong), 'the password is not in the message');
          assert.ok(!JSON.stringify({ ...error, stack: error.stack }).includes(wrong), 'nor anywhere on the error');
          return true;
        },
      );
      assert.deepEqual(logger.lines, [], 'an access denied is not retried');
      assert.ok(Date.now() - started < 5000);
      // The right password works, through the same path.
      const name = table('auth');
      const sink = await openSink(buildSink({ table: name, user, password, create: { primaryKey: ['v'] } }, [{ name: 'v', type: 'long' }]));
      await sink.foreachBatch([{ v: 7 }], 0);
      await sink.close();
      assert.deepEqual(await readTable(name, 'v'), [{ v: 7 }]);
    } finally {
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    }
  });

  it('unknown database, unknown table (with the DDL to create it) and unknown columns are named', async () => {
    const input: Schema = [
      { name: 'id', type: 'long' },
      { name: 'label', type: 'string' },
    ];
    await assert.rejects(
      openSink(buildSink({ database: 'no_such_db_here', table: 't' }, input)),
      /database 'no_such_db_here' does not exist on 127\.0\.0\.1:\d+\. Create it first: CREATE DATABASE `no_such_db_here`/,
    );
    const missing = uniqueTable('missing');
    await assert.rejects(openSink(buildSink({ table: missing }, input)), (error: Error) => {
      assert.match(error.message, new RegExp(`table streamlab\\.${missing} does not exist on ${mariadb.address}\\. Create it:`));
      assert.ok(
        error.message.includes(`CREATE TABLE IF NOT EXISTS \`streamlab\`.\`${missing}\` (\n  \`id\` BIGINT,\n  \`label\` TEXT\n);`),
        error.message,
      );
      assert.match(error.message, /create: \{ primaryKey:/);
      return true;
    });
    const name = table('cols');
    await admin.query(`CREATE TABLE ${quoteIdentifier(name)} (id BIGINT)`);
    await assert.rejects(
      openSink(buildSink({ table: name, columns: { id: 'id', title: 'label' } }, input)),
      new RegExp(`streamlab\\.${name} on ${mariadb.address} has no column 'title' \\(for input column label\\); its columns are: id`),
    );
  });

  it('a connection killed while idle or in the middle of a batch: reconnects, retries, writes each row once', async () => {
    // A user of its own, so the test kills only the sink's connection and nobody else's.
    const user = `sl_kill_${process.pid}`;
    await admin.query(`CREATE USER IF NOT EXISTS '${user}'@'%'`);
    const locker = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: DATABASE });
    const sinkConnection = async (state: RegExp) => {
      for (let i = 0; i < 200; i++) {
        const [rows] = await admin.query('SELECT ID AS id, STATE AS state FROM information_schema.PROCESSLIST WHERE USER = ?', [user]);
        const found = (rows as mysql.RowDataPacket[]).find((r) => state.test(String(r.state)));
        if (found) return Number(found.id);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return assert.fail(`no connection of ${user} in state ${state}`);
    };
    try {
      await admin.query(`GRANT ALL ON streamlab.* TO '${user}'@'%'`);
      const name = table('killed');
      const logger = memoryLogger();
      const sink = await openSink(buildSink({ table: name, user, create: { primaryKey: ['k'] } }, [{ name: 'k', type: 'long' }]), logger);
      try {
        await sink.foreachBatch([{ k: 1 }], 0);
        // Idle: the driver notices the dead connection, and the next batch opens a new one.
        await admin.query(`KILL CONNECTION ${await sinkConnection(/.*/)}`);
        await sink.foreachBatch([{ k: 2 }, { k: 3 }], 1);
        // In the middle of a batch: the commit row is inserted, the rows wait for the table lock, the connection dies.
        await locker.query(`LOCK TABLES ${quoteIdentifier(name)} WRITE`);
        const writing = sink.foreachBatch([{ k: 4 }, { k: 5 }], 2);
        await admin.query(`KILL CONNECTION ${await sinkConnection(/lock/i)}`);
        await new Promise((resolve) => setTimeout(resolve, 300)); // the retry waits for the lock too
        await locker.query('UNLOCK TABLES');
        await writing;
      } finally {
        await sink.close();
      }
      assert.deepEqual(
        await readTable(name, 'k'),
        [1, 2, 3, 4, 5].map((k) => ({ k })),
      );
      assert.ok(
        logger.lines.some((l) => /warn: mysql sink .*batch 2: .*retry 1\/3 in \d+ ms/.test(l)),
        logger.lines.join('\n'),
      );
      const [commits] = await admin.query('SELECT COUNT(*) AS n FROM streamlab_commits WHERE table_name = ?', [name]);
      assert.equal((commits as mysql.RowDataPacket[])[0].n, 3, 'one commit row per batch');
    } finally {
      await locker.end();
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    }
  });

  it('a server that is not there: retried, then a message with the address', async () => {
    const sink = mysqlSink.create(mysqlSink.options.parse({ host: '127.0.0.1', port: 1, database: 'd', table: 't', maxRetries: 2 }), {
      input: [{ name: 'v', type: 'long' }],
      location: { path: 'sink' },
      queryName: 'q',
      compile: () => assert.fail(),
    });
    const logger = memoryLogger();
    await assert.rejects(
      sink.open({ queryId: 'q', queryName: 'q', outputMode: 'append', logger }),
      /mysql sink: cannot reach 127\.0\.0\.1:1 \(ECONNREFUSED\)/,
    );
    assert.equal(logger.lines.filter((l) => /retry \d\/2/.test(l)).length, 2);
  });
});
