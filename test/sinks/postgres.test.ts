/**
 * The postgres sink against the real PostgreSQL of `npm run services -- up postgres`. Every test reads the whole table
 * back and compares every row and field. The conformance suite (test/sinks/conformance.test.ts) covers one batch,
 * many, an empty one, a replayed batch id and a crash between the offsets entry and the commit entry; this file the
 * rest: types and DDL, output modes (a real job with groupBy in update and complete mode), the checks of an existing
 * table, setupSql, replaceWhere, bad values, injection, credentials and a killed connection.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type pg from 'pg';
import { stringify } from 'yaml';
import { buildJob } from '../../src/config/build-job.js';
import { loadJob } from '../../src/config/load-job.js';
import { RuntimeError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import type { OutputMode, Sink } from '../../src/core/sink.js';
import { postgresSink } from '../../src/sinks/postgres/index.js';
import { connectPostgres } from '../support/conformance/postgres.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { memoryLogger } from '../support/memory-logger.js';
import { service } from '../support/services.js';
import { makeTempDir } from '../support/temp-dir.js';

const postgres = service('postgres');
let counter = 0;

function buildSink(options: Record<string, unknown>, input: Schema, extra: { outputMode?: OutputMode; file?: string } = {}): Sink {
  const parsed = postgresSink.options.parse({ host: postgres.host, port: postgres.port, database: 'streamlab', maxRetries: 3, ...options });
  return postgresSink.create(parsed, {
    input,
    outputMode: extra.outputMode,
    location: { file: extra.file ?? 'test.yaml', path: 'sink' },
    queryName: 'test',
    compile: () => assert.fail('no expressions'),
  });
}

async function openSink(sink: Sink, options: { logger?: Logger; queryId?: string; outputMode?: OutputMode } = {}): Promise<Sink> {
  await sink.open({
    queryId: options.queryId ?? randomUUID(),
    queryName: 'test',
    outputMode: options.outputMode ?? 'append',
    logger: options.logger ?? memoryLogger(),
  });
  return sink;
}

describeOrSkip('postgres sink against PostgreSQL', { skip: postgres.skip, timeout: 120_000 }, () => {
  let admin: pg.Client;
  const tables: string[] = [];
  const table = (stem: string) => {
    const name = `postgres_${stem}_${process.pid}_${++counter}`;
    tables.push(name);
    return name;
  };
  const read = async (name: string, orderBy: string) =>
    (await admin.query(`SELECT * FROM "${name}" ORDER BY ${orderBy}`)).rows.map((r: Row) => ({ ...r }));

  before(async () => {
    admin = await connectPostgres(postgres);
  });

  after(async () => {
    for (const t of tables) await admin?.query(`DROP TABLE IF EXISTS "${t}"`);
    await admin
      ?.query('DELETE FROM streamlab_commits WHERE table_name = ANY($1)', [tables.map((t) => `public.${t}`)])
      .catch(() => undefined);
    await admin?.end();
  });

  it('creates the table from the input schema and stores every value exactly (types, nulls, unicode, escapes, NaN, extremes)', async () => {
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
        name: 'béta ✓ \'quoted\' "double" back\\slash \\N',
        reading: -2.25e-8,
        ok: false,
        ts: new Date('0001-01-01T00:00:00.000Z'),
        tags: [],
        meta: {},
      },
      { id: 3, name: null, reading: null, ok: null, ts: null, tags: null, meta: null },
      {
        id: 9007199254740991,
        name: 'tab\there\nnewline\r\\t',
        reading: 1.7976931348623157e308,
        ok: true,
        ts: new Date(0),
        tags: [1, [2]],
        meta: { nested: { deep: true, s: 'a\\b\t' } },
      },
      {
        id: -9007199254740991,
        name: '',
        reading: Number.NaN,
        ok: false,
        ts: new Date('9999-12-31T23:59:59.999Z'),
        tags: ['\\N'],
        meta: { '': '' },
      },
      { id: 6, name: '\\.', reading: Number.POSITIVE_INFINITY, ok: true, ts: new Date(1), tags: [null], meta: { e: '🌍' } },
      { id: 7, name: ' \\', reading: Number.NEGATIVE_INFINITY, ok: true, ts: new Date(-1), tags: [true], meta: { q: "'" } },
    ];
    const logger = memoryLogger();
    const sink = await openSink(buildSink({ table: name, create: { primaryKey: ['id'] } }, input), { logger });
    await sink.foreachBatch(rows, 0);
    await sink.close();
    assert.ok(logger.lines.includes(`info: postgres sink: public.${name} is written with COPY binary`), logger.lines.join('\n'));
    assert.deepEqual(
      await read(name, 'id'),
      [...rows].sort((a, b) => (a.id as number) - (b.id as number)),
    );
    const columns = await admin.query(
      `SELECT a.attname AS c, format_type(a.atttypid, a.atttypmod) AS t, a.attnotnull AS n FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 ORDER BY a.attnum`,
      [name],
    );
    assert.deepEqual(
      columns.rows.map((c) => `${c.c} ${c.t}${c.n ? ' not null' : ''}`),
      [
        'id bigint not null',
        'name text',
        'reading double precision',
        'ok boolean',
        'ts timestamp with time zone',
        'tags jsonb',
        'meta jsonb',
      ],
    );
  });

  it('a table with other column types (integer, varchar, timestamp, numeric, json) is written with COPY text, every value exact', async () => {
    const name = table('text');
    await admin.query(
      `CREATE TABLE "${name}" (id integer PRIMARY KEY, label varchar(40), at timestamp, amount numeric, doc json, ok boolean)`,
    );
    const input: Schema = [
      { name: 'id', type: 'long' },
      { name: 'label', type: 'string' },
      { name: 'at', type: 'timestamp' },
      { name: 'amount', type: 'double' },
      { name: 'doc', type: 'struct' },
      { name: 'ok', type: 'boolean' },
    ];
    const rows: Row[] = [
      { id: 1, label: 'tab\there \\ back ✓', at: new Date('2026-11-30T13:45:01.250Z'), amount: 12.5, doc: { a: 'x\ty' }, ok: true },
      { id: 2, label: null, at: null, amount: null, doc: null, ok: null },
      { id: -2147483648, label: '', at: new Date(0), amount: -0.001, doc: { n: [1, 2] }, ok: false },
    ];
    const logger = memoryLogger();
    const sink = await openSink(buildSink({ table: name }, input), { logger });
    await sink.foreachBatch(rows, 0);
    await sink.close();
    assert.deepEqual(await read(name, 'id'), [rows[2], rows[0], rows[1]]);
    assert.ok(
      logger.lines.some((l) => l.includes(`public.${name} is written with COPY text (column id is integer, not bigint`)),
      logger.lines.join('\n'),
    );
  });

  it('a value PostgreSQL cannot hold (a NUL character) names the column and the row, and nothing of the batch is written', async () => {
    const name = table('nul');
    const input: Schema = [
      { name: 'id', type: 'long' },
      { name: 'text', type: 'string' },
    ];
    const sink = await openSink(buildSink({ table: name, create: true }, input));
    await assert.rejects(
      sink.foreachBatch(
        [
          { id: 1, text: 'fine' },
          { id: 2, text: 'nul \0 here' },
        ],
        0,
      ),
      new RegExp(
        `^RuntimeError: postgres sink: batch 0, row 2: column text of public\\.${name}: a NUL character \\(\\\\0\\): PostgreSQL text cannot hold it$`,
      ),
    );
    await sink.foreachBatch([{ id: 1, text: 'fine' }], 0);
    await sink.close();
    assert.deepEqual(await read(name, 'id'), [{ id: 1, text: 'fine' }]);
  });

  it('row values cannot inject SQL and column names from config are checked before anything connects', async () => {
    const name = table('inject');
    const input: Schema = [
      { name: 'id', type: 'long' },
      { name: 'text', type: 'string' },
    ];
    const attacks = [
      "'); DROP TABLE streamlab_commits; --",
      "\\'; DELETE FROM x; --",
      '\\.\n\\.',
      '"; SELECT pg_sleep(5); --',
      '$$; DROP DATABASE streamlab; $$',
    ];
    const rows = attacks.map((text, id) => ({ id, text }));
    const sink = await openSink(buildSink({ table: name, create: true }, input));
    await sink.foreachBatch(rows, 0);
    await sink.close();
    assert.deepEqual(await read(name, 'id'), rows);
    for (const bad of ['x; DROP TABLE y', 'x"y', 'a.b.c', '', '1abc', 'x'.repeat(64)]) {
      assert.equal(postgresSink.options.safeParse({ database: 'streamlab', table: bad }).success, false, bad);
    }
    assert.equal(postgresSink.options.safeParse({ database: 'streamlab', table: 't', key: ['x"'] }).success, false);
    assert.throws(
      () => buildSink({ table: 't', key: ['nope'] }, [{ name: 'a.b', type: 'long' }]),
      /sink\.table: the input column "a\.b" is not a plain SQL name.*\n.*sink\.key: "nope" is not an input column; the input has: a\.b: long/,
    );
  });

  it('an existing table is checked against the input: every column that differs is named, with both types', async () => {
    const name = table('check');
    await admin.query(`CREATE TABLE "${name}" (id integer PRIMARY KEY, reading real, at timestamptz, required text NOT NULL)`);
    const input: Schema = [
      { name: 'id', type: 'long' },
      { name: 'reading', type: 'double' },
      { name: 'at', type: 'timestamp' },
      { name: 'label', type: 'string' },
    ];
    await assert.rejects(openSink(buildSink({ table: name }, input)), (error: Error) => {
      assert.ok(error instanceof RuntimeError);
      assert.equal(
        error.message,
        `postgres sink: table public.${name} on ${postgres.address} does not fit the rows the job writes:\n` +
          "  column reading is real, which cannot hold the input's double values (make it double precision)\n" +
          '  it has no column label (input column label: string, would be text)\n' +
          '  column required is NOT NULL without a default, and the input has no column required to fill it',
      );
      return true;
    });
    const missing = `postgres_missing_${process.pid}`;
    await assert.rejects(openSink(buildSink({ table: missing }, input)), (error: Error) => {
      assert.ok(
        error.message.startsWith(
          `postgres sink: table public.${missing} does not exist in database streamlab on ${postgres.address}. Create it:`,
        ),
        error.message,
      );
      assert.ok(
        error.message.includes(`CREATE TABLE IF NOT EXISTS "public"."${missing}" (\n  "id" bigint,\n  "reading" double precision,`),
        error.message,
      );
      assert.match(error.message, /create: true$/);
      return true;
    });
    await assert.rejects(
      openSink(buildSink({ table: `nope.${name}` }, input)),
      /schema 'nope' does not exist in database streamlab .* CREATE SCHEMA nope/,
    );
    await assert.rejects(
      openSink(buildSink({ table: name, key: ['reading'] }, input.slice(0, 3)), { outputMode: 'update' }),
      /update mode upserts by \(reading\), but no primary key or unique constraint covers exactly these columns \(it has: \(id\)\)/,
    );
  });

  it('update mode upserts by the key and complete mode replaces the table, batch by batch (a real job with groupBy)', async () => {
    for (const mode of ['update', 'complete'] as const) {
      const name = table(`job_${mode}`);
      const dir = makeTempDir('streamlab-postgres-job-');
      mkdirSync(join(dir, 'jobs'));
      const job = {
        name: `pg-${mode}`,
        source: { type: 'rate-micro-batch', rowsPerBatch: 10 },
        operators: [
          { withColumn: { name: 'bucket', expr: 'value % 3' } },
          { groupBy: { keys: ['bucket'], agg: { n: 'count()', total: 'sum(value)' } } },
        ],
        sink: { type: 'postgres', host: postgres.host, port: postgres.port, database: 'streamlab', table: name, create: true },
        outputMode: mode,
        checkpointLocation: join(dir, 'checkpoint'),
      };
      writeFileSync(join(dir, 'jobs', 'job.yaml'), stringify(job));
      const expected = (values: number) =>
        [0, 1, 2].map((bucket) => {
          const mine = Array.from({ length: values }, (_, v) => v).filter((v) => v % 3 === bucket);
          return { bucket, n: mine.length, total: mine.reduce((a, b) => a + b, 0) };
        });
      const run = async (batches: number) => {
        const built = buildJob(loadJob('job', { cwd: dir, env: {} }));
        await new StreamingQuery(built.query, { maxBatches: batches, logger: memoryLogger() }).run();
      };
      await run(2);
      assert.deepEqual(await read(name, 'bucket'), expected(20), `${mode} after 2 batches`);
      await run(3); // a restart: state and table carry on
      assert.deepEqual(await read(name, 'bucket'), expected(50), `${mode} after 5 batches`);
      const keys = await admin.query(`SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`, [name]);
      assert.equal(keys.rowCount, mode === 'update' ? 1 : 0, 'create: true makes the groupBy key the primary key in update mode');
    }
  });

  it('update mode: a key seen twice in one batch keeps its last row; rows of other keys are untouched', async () => {
    const name = table('upsert');
    const input: Schema = [
      { name: 'sensor', type: 'string' },
      { name: 'temp', type: 'double' },
    ];
    const sink = await openSink(buildSink({ table: name, key: ['sensor'], create: true }, input, { outputMode: 'update' }), {
      outputMode: 'update',
    });
    await sink.foreachBatch(
      [
        { sensor: 'a', temp: 1 },
        { sensor: 'b', temp: 2 },
      ],
      0,
    );
    await sink.foreachBatch(
      [
        { sensor: 'b', temp: 20 },
        { sensor: 'c', temp: 3 },
        { sensor: 'b', temp: 21 },
      ],
      1,
    );
    await sink.foreachBatch([{ sensor: 'b', temp: 99 }], 1); // a replay of batch 1 with other rows: skipped
    await sink.close();
    assert.deepEqual(await read(name, 'sensor'), [
      { sensor: 'a', temp: 1 },
      { sensor: 'b', temp: 21 },
      { sensor: 'c', temp: 3 },
    ]);
  });

  it('setupSql runs once at open in one transaction (an error names the file and line, and nothing of it stays)', async () => {
    const name = table('setup');
    const view = `${name}_view`;
    const dir = makeTempDir('streamlab-postgres-setup-');
    mkdirSync(join(dir, 'jobs'));
    mkdirSync(join(dir, 'sql'));
    writeFileSync(
      join(dir, 'sql', 'setup.sql'),
      `CREATE TABLE IF NOT EXISTS ${name} (k bigint PRIMARY KEY, v text);\nCREATE OR REPLACE VIEW ${view} AS SELECT k, upper(v) AS v FROM ${name};\n`,
    );
    writeFileSync(join(dir, 'sql', 'broken.sql'), `CREATE TABLE ${name}_other (k bigint);\nSELECT nonsense FROM nowhere;\n`);
    const input: Schema = [
      { name: 'k', type: 'long' },
      { name: 'v', type: 'string' },
    ];
    const file = join(dir, 'jobs', 'job.yaml');
    try {
      const sink = await openSink(buildSink({ table: name, setupSql: 'sql/setup.sql' }, input, { file }));
      await sink.foreachBatch([{ k: 1, v: 'one' }], 0);
      await sink.close();
      assert.deepEqual((await admin.query(`SELECT * FROM ${view}`)).rows, [{ k: 1, v: 'ONE' }]);
      await assert.rejects(
        openSink(buildSink({ table: name, setupSql: 'sql/broken.sql' }, input, { file })),
        /postgres sink: setupSql sql\/broken\.sql failed on [\d.:]+ at line 2: relation "nowhere" does not exist\. Nothing of it was applied\./,
      );
      assert.equal(
        (await admin.query('SELECT to_regclass($1) AS t', [`${name}_other`])).rows[0].t,
        null,
        'the first statement was rolled back',
      );
      assert.throws(
        () => buildSink({ table: name, setupSql: 'sql/none.sql' }, input, { file }),
        /sink\.setupSql: cannot read .*sql\/none\.sql: no such file/,
      );
    } finally {
      await admin.query(`DROP VIEW IF EXISTS ${view}`);
    }
  });

  it("replaceWhere: a query's first batch replaces the matching rows, in the same transaction; later batches and a restart of the query do not", async () => {
    const name = table('replace');
    await admin.query(`CREATE TABLE "${name}" (hour text, antenna bigint, total bigint)`);
    await admin.query(`INSERT INTO "${name}" VALUES ('13', 1, 100), ('13', 2, 200), ('14', 1, 7)`);
    const input: Schema = [
      { name: 'hour', type: 'string' },
      { name: 'antenna', type: 'long' },
      { name: 'total', type: 'long' },
    ];
    const options = { table: name, replaceWhere: "hour = '13'" };
    const logger = memoryLogger();
    const queryId = randomUUID();
    const first = await openSink(buildSink(options, input), { logger, queryId });
    await first.foreachBatch([{ hour: '13', antenna: 1, total: 110 }], 0);
    await first.foreachBatch([{ hour: '13', antenna: 2, total: 220 }], 1);
    await first.close();
    // The same query restarted (after a crash): its batches so far are kept.
    const again = await openSink(buildSink(options, input), { logger, queryId });
    await again.foreachBatch([{ hour: '13', antenna: 3, total: 330 }], 2);
    await again.close();
    assert.deepEqual(await read(name, 'hour, antenna'), [
      { hour: '13', antenna: 1, total: 110 },
      { hour: '13', antenna: 2, total: 220 },
      { hour: '13', antenna: 3, total: 330 },
      { hour: '14', antenna: 1, total: 7 },
    ]);
    assert.ok(
      logger.lines.some((l) => l.includes(`batch 0 replaces 2 rows of public.${name} where hour = '13'`)),
      logger.lines.join('\n'),
    );
    // A new run of the job (a new query): the hour is replaced again, not added to.
    const rerun = await openSink(buildSink(options, input));
    await rerun.foreachBatch([{ hour: '13', antenna: 1, total: 111 }], 0);
    await rerun.close();
    assert.deepEqual(await read(name, 'hour, antenna'), [
      { hour: '13', antenna: 1, total: 111 },
      { hour: '14', antenna: 1, total: 7 },
    ]);
    await assert.rejects(
      openSink(buildSink({ table: name, replaceWhere: 'hourr = 1' }, input)),
      /replaceWhere "hourr = 1" is not a condition on public\.postgres_replace_\d+_\d+: column "hourr" does not exist/,
    );
  });

  it('wrong password: a clear access-denied error without the password, not retried', async () => {
    const user = `sl_pg_${process.pid}`;
    const password = `right-${randomUUID()}`;
    const wrong = `wrong-${randomUUID()}`;
    // The server trusts every local login (services: --auth=trust); a pg_hba line cannot be added from here, so the
    // check is on a role that may not log in: the server refuses it as it refuses a bad password (class 28).
    await admin.query(`DROP ROLE IF EXISTS ${user}`);
    await admin.query(`CREATE ROLE ${user} NOLOGIN PASSWORD '${password}'`);
    try {
      const logger = memoryLogger();
      await assert.rejects(
        openSink(buildSink({ table: 'x', user, password: wrong }, [{ name: 'v', type: 'long' }]), { logger }),
        (error: Error) => {
          assert.ok(error instanceof RuntimeError);
          assert.match(
            error.message,
            new RegExp(
              `^postgres sink: access denied by ${postgres.address}: role "${user}" is not permitted to log in\\. Check user and password`,
            ),
          );
          assert.ok(!JSON.stringify({ message: error.message, stack: error.stack }).includes(wrong));
          return true;
        },
      );
      assert.deepEqual(logger.lines, [], 'not retried');
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${user}`);
    }
    await assert.rejects(
      openSink(buildSink({ table: 'x', database: 'no_such_db' }, [{ name: 'v', type: 'long' }])),
      /database 'no_such_db' does not exist on .*CREATE DATABASE no_such_db/,
    );
  });

  it('a connection killed while idle or in the middle of a batch: reconnects, retries, writes each row once', async () => {
    // A role of its own, so the test finds and kills only the sink's connection and nobody else's.
    const user = `sl_kill_${process.pid}`;
    await admin.query(`DROP ROLE IF EXISTS ${user}`);
    await admin.query(`CREATE ROLE ${user} LOGIN SUPERUSER`);
    const name = table('killed');
    const logger = memoryLogger();
    const sinkPid = async (state: string) => {
      for (let i = 0; i < 400; i++) {
        const found = await admin.query('SELECT pid FROM pg_stat_activity WHERE usename = $1 AND state = $2', [user, state]);
        if (found.rowCount) return found.rows[0].pid as number;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return assert.fail(`no sink connection in state ${state}`);
    };
    const locker = await connectPostgres(postgres);
    try {
      const sink = await openSink(
        buildSink({ table: name, user, create: { primaryKey: ['k'] }, backoff: { initial: '50ms', max: '200ms' } }, [
          { name: 'k', type: 'long' },
        ]),
        { logger },
      );
      try {
        await sink.foreachBatch([{ k: 1 }], 0);
        // Idle: the client notices the dead connection, and the next batch opens a new one.
        await admin.query('SELECT pg_terminate_backend($1)', [await sinkPid('idle')]);
        await sink.foreachBatch([{ k: 2 }, { k: 3 }], 1);
        // In the middle of a batch: the commit row is inserted, the COPY waits for the lock, the connection dies.
        await locker.query('BEGIN');
        await locker.query(`LOCK TABLE "${name}" IN ACCESS EXCLUSIVE MODE`);
        const writing = sink.foreachBatch([{ k: 4 }, { k: 5 }], 2);
        const pid = await sinkPid('active');
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await new Promise((resolve) => setTimeout(resolve, 300)); // the retry waits for the lock too
        await locker.query('COMMIT');
        await writing;
      } finally {
        await sink.close();
      }
      assert.deepEqual(
        await read(name, 'k'),
        [1, 2, 3, 4, 5].map((k) => ({ k })),
      );
      assert.ok(
        logger.lines.some((l) => /warn: postgres sink .*batch 2: .*retry 1\/3 in \d+ ms/.test(l)),
        logger.lines.join('\n'),
      );
      const commits = await admin.query('SELECT batch_id FROM streamlab_commits WHERE table_name = $1 ORDER BY batch_id', [
        `public.${name}`,
      ]);
      assert.deepEqual(
        commits.rows.map((r) => r.batch_id),
        [0, 1, 2],
        'one commit row per batch',
      );
    } finally {
      await locker.end();
      await admin.query(`DROP TABLE IF EXISTS "${name}"`);
      await admin.query(`DROP ROLE IF EXISTS ${user}`);
    }
  });

  it('a server that is not there: retried, then a message with the address', async () => {
    const sink = postgresSink.create(
      postgresSink.options.parse({ port: 1, database: 'd', table: 't', maxRetries: 2, backoff: { initial: '10ms', max: '20ms' } }),
      {
        input: [{ name: 'v', type: 'long' }],
        location: { path: 'sink' },
        queryName: 'q',
        compile: () => assert.fail(),
      },
    );
    const logger = memoryLogger();
    await assert.rejects(
      sink.open({ queryId: 'q', queryName: 'q', outputMode: 'append', logger }),
      /postgres sink: cannot reach 127\.0\.0\.1:1 \(ECONNREFUSED\)/,
    );
    assert.equal(logger.lines.filter((l) => /retry \d\/2/.test(l)).length, 2);
  });
});
