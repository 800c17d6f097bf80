/**
 * The starrocks sink's Stream Load path against the protocol-faithful peer (test/support/starrocks-peer: an FE and a
 * BE after StarRocks' source, storing rows in the real MariaDB), and its insert path against MariaDB.
 *
 * Against a real StarRocks (docker compose up starrocks): STREAMLAB_TEST_STARROCKS_FE=127.0.0.1:8030 (and, if not
 * on port 9030 of the same host, STREAMLAB_TEST_STARROCKS_MYSQL=host:port) runs every test that does not need the
 * peer's fault injection or request log against it instead, reading the rows back over its MySQL port. That run has
 * not been made on this project's machines: StarRocks does not run here.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import { RuntimeError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import type { Sink } from '../../src/core/sink.js';
import { loadLabel, starrocksSink } from '../../src/sinks/starrocks/index.js';
import { encodeBodies } from '../../src/sinks/starrocks/body.js';
import { RateMicroBatchSource } from '../../src/sources/rate-micro-batch.js';
import { crashAfterWriteAndRestart } from '../support/crash-after-write.js';
import { memoryLogger } from '../support/memory-logger.js';
import { service } from '../support/services.js';
import { startStarRocksPeer, type StarRocksPeer } from '../support/starrocks-peer/index.js';

const real = process.env.STREAMLAB_TEST_STARROCKS_FE;
const mariadb = service('mariadb');
const DATABASE = 'streamlab';

/** Column types of the test tables, written per target (MariaDB for the peer, StarRocks for the real thing). */
type SqlType = 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'DATETIME' | 'JSON' | `VARCHAR(${number})`;
interface TestColumn {
  name: string;
  type: SqlType;
  notNull?: boolean;
}

/** Where the tests load to and read back from. */
interface Target {
  feHost: string;
  fePort: number;
  mysql: { host: string; port: number };
  peer?: StarRocksPeer;
  createTableSql(table: string, columns: TestColumn[]): string;
}

let counter = 0;
const uniqueTable = (stem: string) => `sr_${stem}_${process.pid}_${++counter}`;

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

describeOrSkip('starrocks sink, Stream Load', { skip: real ? false : mariadb.skip }, () => {
  let target: Target;
  let reader: mysql.Connection;
  const tables: string[] = [];

  before(async () => {
    if (real) {
      const [feHost, fePort] = real.split(':');
      const [mysqlHost, mysqlPort] = (process.env.STREAMLAB_TEST_STARROCKS_MYSQL ?? `${feHost}:9030`).split(':');
      target = {
        feHost,
        fePort: Number(fePort),
        mysql: { host: mysqlHost, port: Number(mysqlPort) },
        createTableSql: (table, columns) =>
          `CREATE TABLE ${DATABASE}.${table} (${columns.map((c) => `\`${c.name}\` ${c.type}${c.notNull ? ' NOT NULL' : ''}`).join(', ')}) ` +
          `DUPLICATE KEY(\`${columns[0].name}\`) DISTRIBUTED BY HASH(\`${columns[0].name}\`) PROPERTIES ("replication_num" = "1")`,
      };
      const setup = await mysql.createConnection({ ...target.mysql, user: 'root' });
      await setup.query(`CREATE DATABASE IF NOT EXISTS ${DATABASE}`);
      await setup.end();
    } else {
      const peer = await startStarRocksPeer({
        mariadb: { host: mariadb.host, port: mariadb.port },
        users: { root: '', loader: 'l0ader-pa55' },
      });
      target = {
        feHost: peer.feHost,
        fePort: peer.fePort,
        mysql: { host: mariadb.host, port: mariadb.port },
        peer,
        // No primary key: like a duplicate-key table, a row loaded twice would show up twice.
        createTableSql: (table, columns) =>
          `CREATE TABLE ${DATABASE}.${table} (${columns.map((c) => `\`${c.name}\` ${c.type === 'DATETIME' ? 'DATETIME(3)' : c.type}${c.notNull ? ' NOT NULL' : ''}`).join(', ')})`,
      };
    }
    reader = await mysql.createConnection({ ...target.mysql, user: 'root', database: DATABASE, timezone: 'Z', supportBigNumbers: true });
  });

  after(async () => {
    for (const t of tables) await reader?.query(`DROP TABLE IF EXISTS ${t}`);
    await reader?.end();
    await target?.peer?.close();
  });

  const createTable = async (stem: string, columns: TestColumn[]) => {
    const table = uniqueTable(stem);
    tables.push(table);
    await reader.query(target.createTableSql(table, columns));
    return table;
  };
  const readTable = async (table: string, orderBy: string) => {
    const [rows] = await reader.query(`SELECT * FROM ${DATABASE}.${table} ORDER BY ${orderBy}`);
    return (rows as mysql.RowDataPacket[]).map((r) => ({ ...r }));
  };
  const buildSink = (options: Record<string, unknown>, input: Schema, queryName = 'sr-test'): Sink =>
    starrocksSink.create(
      starrocksSink.options.parse({ feHost: target.feHost, httpPort: target.fePort, database: DATABASE, maxRetries: 3, ...options }),
      {
        input,
        location: { file: 'test.yaml', path: 'sink' },
        queryName,
        compile: () => assert.fail('no expressions'),
      },
    );
  const open = async (sink: Sink, logger: Logger = memoryLogger(), queryId = randomUUID(), queryName = 'sr-test') => {
    await sink.open({ queryId, queryName, outputMode: 'append', logger });
    return sink;
  };
  /** Stream Load requests the peer saw for a table, FE and BE. */
  const loadsOf = (table: string) => target.peer!.requests.filter((r) => r.url.startsWith(`/api/${DATABASE}/${table}/_stream_load`));
  const peerOnly = () => (real ? 'needs the peer (fault injection or its request log)' : false);

  const sensorInput: Schema = [
    { name: 'sensor_id', type: 'long' },
    { name: 'timestamp', type: 'timestamp' },
    { name: 'temperature', type: 'double' },
    { name: 'humidity', type: 'double' },
    { name: 'note', type: 'string' },
    { name: 'ok', type: 'boolean' },
    { name: 'meta', type: 'struct' },
  ];
  const sensorColumns: TestColumn[] = [
    { name: 'sensor_id', type: 'BIGINT', notNull: true },
    { name: 'ts', type: 'DATETIME', notNull: true },
    { name: 'temperature', type: 'DOUBLE' },
    { name: 'humidity', type: 'DOUBLE' },
    { name: 'note', type: 'VARCHAR(200)' },
    { name: 'ok', type: 'BOOLEAN' },
    { name: 'meta', type: 'JSON' },
  ];
  const sensorMapping = {
    sensor_id: 'sensor_id',
    ts: 'timestamp',
    temperature: 'temperature',
    humidity: 'humidity',
    note: 'note',
    ok: 'ok',
    meta: 'meta',
  };
  const sensorRows: Row[] = [
    {
      sensor_id: 1,
      timestamp: new Date('2026-11-23T09:41:07.123Z'),
      temperature: 21.5,
      humidity: 40.25,
      note: 'plain',
      ok: true,
      meta: { unit: 'C' },
    },
    {
      sensor_id: 2,
      timestamp: new Date('2026-11-23T09:41:08.000Z'),
      temperature: -3.75e-5,
      humidity: 99.5,
      note: 'quotes \' " and \\ and ✓ é',
      ok: false,
      meta: { nested: [1, 2] },
    },
    { sensor_id: 3, timestamp: new Date('1999-12-31T23:59:59.999Z'), temperature: null, humidity: null, note: null, ok: null, meta: null },
  ];
  const asStored = (rows: Row[]) =>
    rows.map((r) => ({
      sensor_id: r.sensor_id,
      ts: r.timestamp,
      temperature: r.temperature,
      humidity: r.humidity,
      note: r.note,
      ok: r.ok === null ? null : r.ok ? 1 : 0,
      meta: r.meta,
    }));
  const readSensors = async (table: string) => (await readTable(table, 'sensor_id, ts')).map((r) => ({ ...r, meta: json(r.meta) }));

  for (const format of ['json', 'csv'] as const) {
    it(`format ${format}: every row and field arrives as sent (nulls, unicode, quotes, booleans, JSON, ms timestamps)`, async () => {
      const table = await createTable(`exact_${format}`, sensorColumns);
      const sink = await open(buildSink({ table, format, columns: sensorMapping }, sensorInput));
      await sink.foreachBatch(sensorRows, 0);
      await sink.close();
      assert.deepEqual(await readSensors(table), asStored(sensorRows));
    });
  }

  it("follows the FE's 307 to the BE: headers (and Basic auth) to both, the body only to the BE after 100 Continue", {
    skip: peerOnly(),
  }, async () => {
    const table = await createTable('redirect', sensorColumns);
    const queryId = randomUUID();
    const sink = await open(
      buildSink(
        { table, user: 'loader', password: 'l0ader-pa55', columns: sensorMapping, properties: { strict_mode: 'true' } },
        sensorInput,
      ),
      memoryLogger(),
      queryId,
    );
    await sink.foreachBatch(sensorRows, 7);
    await sink.close();
    const [fe, be, ...rest] = loadsOf(table);
    assert.equal(rest.length, 0);
    const auth = `Basic ${Buffer.from('loader:l0ader-pa55').toString('base64')}`;
    const label = loadLabel('sr-test', queryId, 7, 0);
    assert.deepEqual(
      {
        server: fe.server,
        status: fe.status,
        expect: fe.headers.expect,
        auth: fe.headers.authorization,
        label: fe.headers.label,
        bodyBytes: fe.bodyBytes,
        continued: fe.continued,
      },
      { server: 'fe', status: 307, expect: '100-continue', auth, label, bodyBytes: 0, continued: false },
    );
    assert.deepEqual(
      {
        server: be.server,
        status: be.status,
        expect: be.headers.expect,
        auth: be.headers.authorization,
        label: be.headers.label,
        continued: be.continued,
      },
      { server: 'be', status: 200, expect: '100-continue', auth, label, continued: true },
    );
    assert.equal(be.bodyBytes, Number(be.headers['content-length']));
    assert.deepEqual(
      [
        be.headers.format,
        be.headers.strip_outer_array,
        be.headers.columns,
        be.headers.max_filter_ratio,
        be.headers.timeout,
        be.headers.strict_mode,
      ],
      ['json', 'true', 'sensor_id,ts,temperature,humidity,note,ok,meta', '0', '600', 'true'],
    );
    assert.deepEqual(await readSensors(table), asStored(sensorRows));
  });

  it('a crash between the load and commits/N: the replay meets "Label Already Exists" and get_load_state says VISIBLE; one transaction per batch', async () => {
    const table = await createTable('crash', [
      { name: 'value', type: 'BIGINT', notNull: true },
      { name: 'ts', type: 'DATETIME', notNull: true },
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'streamlab-starrocks-'));
    try {
      const source = () => new RateMicroBatchSource(5, 1_700_000_000_000, 1000);
      const options = { table, columns: { value: 'value', ts: 'timestamp' } };
      const logger = memoryLogger();
      const { restarted } = await crashAfterWriteAndRestart({
        definition: (sink) => ({
          name: 'starrocks-crash',
          source: source(),
          operators: [],
          sink,
          trigger: { kind: 'default' },
          outputMode: 'append',
          checkpointLocation: join(dir, 'checkpoint'),
        }),
        sink: () => buildSink(options, source().schema, 'starrocks-crash'),
        crashAt: 3,
        maxBatches: 3,
        logger,
      });
      // The conformance suite checks this against the peer; this test also runs against a real StarRocks.
      const expected = Array.from({ length: 30 }, (_, v) => ({ value: v, ts: new Date(1_700_000_000_000 + Math.floor(v / 5) * 1000) }));
      assert.deepEqual(await readTable(table, 'value'), expected, 'values 0..29, each once');
      assert.equal(
        logger.lines.filter((l) => /was already loaded by an earlier attempt \(FINISHED\)/.test(l)).length,
        1,
        logger.lines.join('\n'),
      );
      if (target.peer) {
        const labels = [0, 1, 2, 3, 4, 5].map((b) => loadLabel('starrocks-crash', restarted.id, b, 0));
        const states = (await target.peer.txns(DATABASE)).filter((t) => labels.includes(t.label));
        assert.deepEqual(
          states.map((t) => [t.label, t.state]),
          labels.map((l) => [l, 'VISIBLE']),
          'one transaction per batch, none for the replay',
        );
        const asked = target.peer.requests.filter((r) => r.url.includes('get_load_state?label=')).map((r) => r.url.split('=')[1]);
        assert.deepEqual(
          asked.filter((l) => labels.includes(l)),
          [labels[3]],
          'only the replayed batch was settled',
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an answer lost after the BE committed: the retry meets its own label and does not load twice', { skip: peerOnly() }, async () => {
    const table = await createTable('lost', [{ name: 'k', type: 'BIGINT', notNull: true }]);
    const logger = memoryLogger();
    const sink = await open(buildSink({ table }, [{ name: 'k', type: 'long' }]), logger);
    target.peer!.dropNextAnswer();
    await sink.foreachBatch([{ k: 1 }, { k: 2 }], 0);
    await sink.close();
    assert.deepEqual(await readTable(table, 'k'), [{ k: 1 }, { k: 2 }]);
    assert.ok(
      logger.lines.some((l) => /warn: .*batch 0 .*(socket hang up|ECONNRESET).*retry 1\/3/.test(l)),
      logger.lines.join('\n'),
    );
    assert.ok(
      logger.lines.some((l) => /already loaded by an earlier attempt/.test(l)),
      logger.lines.join('\n'),
    );
  });

  // A label left RUNNING (PREPARE/PREPARED) by an earlier attempt: starrocks-orphan.test.ts.

  it('wrong password: the FE answers 401 and the sink stops at start, with a clear error without the password, not retried', async () => {
    const table = await createTable('auth', [{ name: 'k', type: 'BIGINT' }]);
    const password = `wrong-${randomUUID()}`;
    const logger = memoryLogger();
    const seen = target.peer ? target.peer.requests.length : 0;
    await assert.rejects(open(buildSink({ table, user: 'loader', password }, [{ name: 'k', type: 'long' }]), logger), (error: Error) => {
      assert.ok(error instanceof RuntimeError);
      assert.match(
        error.message,
        /starrocks sink: cannot load into streamlab\.sr_auth_\d+_\d+ through FE http:\/\/[\d.:]+: HTTP 401 from .*Access denied for loader@.*Check user and password/,
      );
      assert.ok(!error.message.includes(password));
      assert.ok(!error.message.includes(Buffer.from(`loader:${password}`).toString('base64')), 'nor the Authorization header');
      return true;
    });
    assert.deepEqual(logger.lines, [], 'not retried');
    if (target.peer)
      assert.deepEqual(
        target.peer.requests.slice(seen).map((r) => [r.server, r.method, r.status]),
        [['fe', 'GET', 401]],
      );
    assert.deepEqual(await readTable(table, 'k'), []);
  });

  it('an unknown database, an FE that is not there: named at start', async () => {
    await assert.rejects(
      open(buildSink({ database: 'no_such_db_here', table: 't' }, [{ name: 'k', type: 'long' }])),
      /cannot load into no_such_db_here\.t through FE .*unknown database.*CREATE DATABASE `no_such_db_here`/,
    );
    const logger = memoryLogger();
    await assert.rejects(
      open(buildSink({ feHost: '127.0.0.1', httpPort: 1, table: 't', maxRetries: 1 }, [{ name: 'k', type: 'long' }]), logger),
      /cannot load into streamlab\.t through FE http:\/\/127\.0\.0\.1:1: GET .*ECONNREFUSED.*Is StarRocks running/,
    );
    assert.equal(logger.lines.filter((l) => /retry 1\/1/.test(l)).length, 1);
  });

  it('too many filtered rows: not retried, the ErrorURL is shown and lists the rejected rows; within maxFilterRatio the good rows load', async () => {
    const table = await createTable('filtered', [
      { name: 'k', type: 'BIGINT', notNull: true },
      { name: 'code', type: 'VARCHAR(3)' },
    ]);
    const input: Schema = [
      { name: 'k', type: 'long' },
      { name: 'code', type: 'string' },
    ];
    const rows = [
      { k: 1, code: 'abc' },
      { k: 2, code: 'too long' },
      { k: 3, code: 'xyz' },
      { k: 4, code: 'ok' },
    ];
    const logger = memoryLogger();
    const strict = buildSink({ table }, input);
    await open(strict, logger);
    let errorUrl = '';
    await assert.rejects(strict.foreachBatch(rows, 0), (error: Error) => {
      assert.match(
        error.message,
        /refused the load: too many filtered rows \(1 of 4 rows unfit, maxFilterRatio 0\)\. The rejected rows and why: http:\/\/\S+\/api\/_load_error_log\?file=\S+ \. Not retried/,
      );
      errorUrl = /(http:\/\/\S+_load_error_log\S+)/.exec(error.message)![1];
      return true;
    });
    await strict.close();
    assert.deepEqual(logger.lines, [], 'not retried');
    const log = await (await fetch(errorUrl)).text();
    assert.match(log, /too long/, 'the rejected row is listed'); // the peer also says why: "the length of input is too long than schema. column_name: code"
    if (target.peer) assert.match(log, /too long than schema\. column_name: code/);
    assert.deepEqual(await readTable(table, 'k'), [], 'a failed load leaves nothing');
    if (target.peer) assert.equal(loadsOf(table).filter((r) => r.server === 'be').length, 1, 'one attempt only');

    const lenientLogger = memoryLogger();
    const lenient = await open(buildSink({ table, maxFilterRatio: 0.25 }, input), lenientLogger);
    await lenient.foreachBatch(rows, 1);
    await lenient.close();
    assert.deepEqual(await readTable(table, 'k'), [
      { k: 1, code: 'abc' },
      { k: 3, code: 'xyz' },
      { k: 4, code: 'ok' },
    ]);
    assert.ok(
      lenientLogger.lines.some((l) =>
        /warn: .*1 of 4 rows were filtered out \(within maxFilterRatio 0\.25\); why: http:\/\/\S+_load_error_log/.test(l),
      ),
      lenientLogger.lines.join('\n'),
    );
  });

  it('a transient failure (a busy BE) is retried with backoff and then loads once', { skip: peerOnly() }, async () => {
    const table = await createTable('busy', [{ name: 'k', type: 'BIGINT', notNull: true }]);
    const logger = memoryLogger();
    const sink = await open(buildSink({ table }, [{ name: 'k', type: 'long' }]), logger);
    target.peer!.failNext('Stream Load exceed http cuncurrent limit 0, please try again later', 2);
    await sink.foreachBatch([{ k: 1 }], 0);
    await sink.close();
    assert.deepEqual(await readTable(table, 'k'), [{ k: 1 }]);
    assert.equal(
      logger.lines.filter((l) => /warn: .*status Fail: Stream Load exceed http cuncurrent limit.*retry [12]\/3 in \d+ ms/.test(l)).length,
      2,
      logger.lines.join('\n'),
    );
  });

  it('row values cannot inject anything: quotes, backslashes, JSON and SQL fragments are stored verbatim', async () => {
    const table = await createTable('inject', [
      { name: 'id', type: 'BIGINT', notNull: true },
      { name: 'text', type: 'VARCHAR(200)' },
    ]);
    const attacks = [
      "'); DROP TABLE streamlab.x; --",
      '"},{"id":999,"text":"smuggled',
      '\\", "id": 1000, "x": "',
      "' OR '1'='1",
      '\u0000\u0001\u001f',
      '</script>${x}`',
    ];
    const rows = attacks.map((text, id) => ({ id, text }));
    const sink = await open(
      buildSink({ table }, [
        { name: 'id', type: 'long' },
        { name: 'text', type: 'string' },
      ]),
    );
    await sink.foreachBatch(rows, 0);
    await sink.close();
    assert.deepEqual(await readTable(table, 'id'), rows);
  });

  it('names from config: a table name with SQL or path characters is rejected before anything connects', () => {
    for (const bad of ['x; DROP TABLE y', '../x', 'x/_stream_load?label=a', 'x`', 'a b']) {
      const result = starrocksSink.options.safeParse({ database: 'd', table: bad });
      assert.equal(result.success, false, bad);
      assert.match(result.error!.issues[0].message, /plain SQL name/);
    }
    assert.equal(starrocksSink.options.safeParse({ database: 'd', table: 't', labelPrefix: 'a b' }).success, false);
  });

  it('an unknown table is named and not retried', async () => {
    const logger = memoryLogger();
    const sink = await open(buildSink({ table: 'no_such_table_here' }, [{ name: 'k', type: 'long' }]), logger);
    await assert.rejects(sink.foreachBatch([{ k: 1 }], 0), (error: Error) => {
      assert.match(error.message, /streamlab\.no_such_table_here .*failed: Stream Load status Fail: .*unknown table/i);
      assert.ok(
        error.message.includes(
          'CREATE TABLE IF NOT EXISTS `streamlab`.`no_such_table_here` (\n  `k` BIGINT\n)\nDUPLICATE KEY(`k`)\nDISTRIBUTED BY HASH(`k`)\nPROPERTIES ("replication_num" = "1");',
        ),
        error.message,
      );
      return true;
    });
    await sink.close();
    assert.deepEqual(logger.lines, []);
  });

  it('a batch above maxBytesPerLoad goes as several labelled loads; replayed, each part is recognised', async () => {
    const table = await createTable('parts', [{ name: 'k', type: 'BIGINT', notNull: true }]);
    const rows = Array.from({ length: 300 }, (_, k) => ({ k }));
    const queryId = randomUUID();
    const logger = memoryLogger();
    const sink = await open(buildSink({ table, maxBytesPerLoad: 1024 }, [{ name: 'k', type: 'long' }]), logger, queryId);
    await sink.foreachBatch(rows, 0);
    await sink.foreachBatch(rows, 0);
    await sink.close();
    assert.deepEqual(await readTable(table, 'k'), rows);
    const parts = encodeBodies(rows, [{ table: 'k', source: 'k', type: 'long' }], 'json', 1024).length;
    assert.ok(parts >= 3, `${parts} parts`);
    assert.equal(logger.lines.filter((l) => /already loaded/.test(l)).length, parts, 'the replay met every part');
    if (target.peer) {
      const labels = (await target.peer.txns(DATABASE)).filter((t) =>
        t.label.startsWith(`sr-test-${loadLabel('x', queryId, 0, 0).split('-')[1]}-0-`),
      );
      assert.deepEqual(
        labels.map((t) => t.label.split('-').at(-1)),
        Array.from({ length: parts }, (_, i) => String(i)),
      );
    }
  });
});

describeOrSkip('starrocks sink, mode insert (MySQL protocol, text only) against MariaDB', { skip: mariadb.skip }, () => {
  let admin: mysql.Connection;
  let peer: StarRocksPeer;
  const tables: string[] = [];
  before(async () => {
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: DATABASE, timezone: 'Z' });
    peer = await startStarRocksPeer({ mariadb: { host: mariadb.host, port: mariadb.port } });
  });
  after(async () => {
    for (const t of tables) await admin?.query(`DROP TABLE IF EXISTS ${t}`);
    await admin?.end();
    await peer?.close();
  });
  const build = (options: Record<string, unknown>, input: Schema) =>
    starrocksSink.create(
      starrocksSink.options.parse({
        mode: 'insert',
        feHost: mariadb.host,
        mysqlPort: mariadb.port,
        httpPort: peer.fePort,
        database: DATABASE,
        maxRetries: 2,
        ...options,
      }),
      { input, location: { path: 'sink' }, queryName: 'sr-insert', compile: () => assert.fail() },
    );
  const newTable = async (stem: string) => {
    const table = uniqueTable(stem);
    tables.push(table);
    await admin.query(`CREATE TABLE ${table} (sensor_id BIGINT NOT NULL, ts DATETIME(3) NOT NULL, temperature DOUBLE, note VARCHAR(100))`);
    return table;
  };
  const input: Schema = [
    { name: 'sensor_id', type: 'long' },
    { name: 'timestamp', type: 'timestamp' },
    { name: 'temperature', type: 'double' },
    { name: 'note', type: 'string' },
  ];
  const columns = { sensor_id: 'sensor_id', ts: 'timestamp', temperature: 'temperature', note: 'note' };
  const rows: Row[] = [
    { sensor_id: 1, timestamp: new Date('2026-11-23T09:00:00.001Z'), temperature: 20.5, note: "it's" },
    { sensor_id: 2, timestamp: new Date('2026-11-23T09:00:01.002Z'), temperature: null, note: '\\"; DROP TABLE x; --' },
    { sensor_id: 3, timestamp: new Date('2026-11-23T09:00:02.003Z'), temperature: -1e-9, note: null },
  ];
  const stored = rows.map((r) => ({ sensor_id: r.sensor_id, ts: r.timestamp, temperature: r.temperature, note: r.note }));

  it('INSERT ... VALUES in statements of batchSize rows: every row and field arrives (withLabel: false, as MariaDB has no labels)', async () => {
    const table = await newTable('insert');
    const sink = build({ table, columns, batchSize: 2, withLabel: false }, input);
    await sink.open({ queryId: randomUUID(), queryName: 'sr-insert', outputMode: 'append', logger: memoryLogger() });
    await sink.foreachBatch(rows, 0);
    await sink.close();
    const [read] = await admin.query(`SELECT * FROM ${table} ORDER BY sensor_id`);
    assert.deepEqual(
      (read as mysql.RowDataPacket[]).map((r) => ({ ...r })),
      stored,
    );
  });

  it('with labels: the statement carries WITH LABEL, and "has already been used" is settled through get_load_state', async () => {
    const table = await newTable('labelled');
    const queryId = randomUUID();
    const logger = memoryLogger();
    const sink = build({ table, columns, batchSize: 2 }, input);
    await sink.open({ queryId, queryName: 'sr-insert', outputMode: 'append', logger });
    // MariaDB does not know WITH LABEL, so the test stands in for StarRocks at the connection: it records the
    // statement, answers as StarRocks answers a used label, and lets the peer's FE say what became of the label.
    const connection = (sink as unknown as { connection: mysql.Connection }).connection;
    const seen: string[] = [];
    const realQuery = connection.query.bind(connection);
    (connection as unknown as { query: (sql: string) => Promise<unknown> }).query = async (sql: string) => {
      seen.push(sql);
      const label = /WITH LABEL `([^`]+)`/.exec(sql)?.[1];
      if (label === loadLabel('sr-insert', queryId, 0, 0))
        throw Object.assign(new Error(`Label [${label}] has already been used.`), { errno: 1064 });
      return realQuery(sql.replace(/ WITH LABEL `[^`]+`/, ''));
    };
    await peer.setLabel(DATABASE, loadLabel('sr-insert', queryId, 0, 0), 'VISIBLE');
    await sink.foreachBatch(rows, 0);
    await sink.close();
    assert.match(
      seen[0],
      new RegExp(
        `^INSERT INTO \`streamlab\`\\.\`${table}\` WITH LABEL \`sr-insert-[0-9a-f]{8}-0-0\` \\(\`sensor_id\`, \`ts\`, \`temperature\`, \`note\`\\) VALUES \\(1, '2026-11-23 09:00:00\\.001', 20\\.5, 'it\\\\'s'\\), \\(2, `,
      ),
    );
    assert.match(seen[1], /WITH LABEL `sr-insert-[0-9a-f]{8}-0-1`/);
    const [read] = await admin.query(`SELECT * FROM ${table} ORDER BY sensor_id`);
    assert.deepEqual(
      (read as mysql.RowDataPacket[]).map((r) => ({ ...r })),
      stored.slice(2),
      'statement 0 was done before: only statement 1 inserted',
    );
    assert.ok(
      logger.lines.some((l) => /insert labelled sr-insert-[0-9a-f]{8}-0-0 .*already done by an earlier attempt; skipped/.test(l)),
      logger.lines.join('\n'),
    );
  });
});
