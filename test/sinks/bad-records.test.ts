/**
 * onBadRecord at the sinks, against the real servers: a CSV file with empty strings, NaN and infinities runs through a
 * query into MariaDB, the StarRocks Stream Load peer, Cassandra and InfluxDB. Each test reads back the whole content written (every row, every field)
 * and the whole dead-letter file; with `fail`, the message names batch, row and column.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import type { BadRecordPolicy } from '../../src/core/bad-records.js';
import type { QueryProgress } from '../../src/core/progress.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Schema } from '../../src/core/schema.js';
import type { Sink } from '../../src/core/sink.js';
import { CassandraSink, CassandraSinkOptions, resolveConfig as cassandraConfig } from '../../src/sinks/cassandra/index.js';
import { InfluxDBSink, resolveConfig as influxConfig } from '../../src/sinks/influxdb/index.js';
import { InfluxDBSinkOptions } from '../../src/sinks/influxdb/options.js';
import { mysqlSink } from '../../src/sinks/mysql/index.js';
import { starrocksSink } from '../../src/sinks/starrocks/index.js';
import { FileSource } from '../../src/sources/file/index.js';
import { service } from '../support/services.js';
import { type StarRocksPeer, startStarRocksPeer } from '../support/starrocks-peer/index.js';
import { client as cassandraClient, createKeyspace, readTable as readCassandra, testKeyspace } from './cassandra-fixtures/read-back.js';
import { createDatabase, dropDatabase, fieldTypes, readInfluxQL } from './influxdb-fixtures/read-back.js';

const schema: Schema = [
  { name: 'id', type: 'long' },
  { name: 'time', type: 'timestamp' },
  { name: 'name', type: 'string' },
  { name: 'score', type: 'double' },
];
const T = Date.UTC(2026, 10, 30, 12, 0, 0);
const at = (s: number) => new Date(T + s * 1000).toISOString();
/** Row 1: an empty string; row 2: NaN; row 3: a missing name (null); row 4: Infinity; row 5: -Infinity. */
const CSV = `id,time,name,score\n1,${at(1)},"",1.5\n2,${at(2)},nan,NaN\n3,${at(3)},,2.5\n4,${at(4)},inf,Infinity\n5,${at(5)},"",-Infinity\n`;

let dir: string;
before(async () => (dir = await mkdtemp(join(tmpdir(), 'streamlab-sink-badrec-'))));
after(async () => rm(dir, { recursive: true, force: true }));

let runs = 0;
/** Runs the CSV through a query into `sink`; resolves with the progress and the dead-letter file's text ('' if none). */
async function run(sink: Sink, policy: BadRecordPolicy): Promise<{ progress: QueryProgress[]; deadLetters: string; file: string }> {
  const base = join(dir, `run-${++runs}`);
  await mkdir(join(base, 'in'), { recursive: true });
  const file = join(base, 'in', 'a.csv');
  await writeFile(file, CSV);
  const query = new StreamingQuery({
    name: 'badrec',
    source: new FileSource(join(base, 'in'), 'csv', schema, true, undefined),
    operators: [],
    sink,
    trigger: { kind: 'availableNow' },
    outputMode: 'append',
    checkpointLocation: join(base, 'checkpoint'),
    onBadRecord: policy,
  });
  const progress: QueryProgress[] = [];
  query.progress$.subscribe((p) => progress.push(p));
  await query.run();
  const deadLetters = await readFile(join(base, 'checkpoint', 'deadLetters', '0.jsonl'), 'utf8').catch(() => '');
  return { progress, deadLetters, file };
}

/** The dead letters a sink writes for rows 2, 4 and 5 (0-based positions 1, 3, 4), with its reason for each. */
function sinkLetters(component: string, reason: (row: number, value: string) => string): string {
  const rows = [
    { row: 1, raw: { id: 2, time: at(2), name: 'nan', score: 'NaN' } },
    { row: 3, raw: { id: 4, time: at(4), name: 'inf', score: 'Infinity' } },
    { row: 4, raw: { id: 5, time: at(5), name: '', score: '-Infinity' } },
  ];
  return rows
    .map(({ row, raw }) => JSON.stringify({ batchId: 0, stage: 'sink', component, position: { row }, reason: reason(row, raw.score), raw }))
    .map((line) => `${line}\n`)
    .join('');
}

const mariadb = service('mariadb');
describeOrSkip('mysql sink: onBadRecord', { skip: mariadb.skip }, () => {
  let admin: mysql.Connection;
  const table = `badrec_${process.pid}`;
  const sink = () =>
    mysqlSink.create(
      mysqlSink.options.parse({
        host: mariadb.host,
        port: mariadb.port,
        user: 'root',
        database: 'streamlab',
        table,
        create: { primaryKey: ['id'] },
        maxRetries: 2,
      }),
      { input: schema, location: { file: 'test.yaml', path: 'sink' }, queryName: 'test', compile: () => assert.fail('no expressions') },
    );
  before(async () => {
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root' });
    await admin.query('CREATE DATABASE IF NOT EXISTS streamlab');
  });
  after(async () => {
    await admin?.query(`DROP TABLE IF EXISTS streamlab.${table}`);
    await admin?.end();
  });

  it('stores empty strings as empty strings; NaN and infinities go to the policy (dead letters / fail naming row and column)', async () => {
    await assert.rejects(run(sink(), 'fail'), {
      message: `mysql sink: batch 0, row 2: column score of streamlab.${table}: NaN has no SQL value (MySQL stores no NaN or infinity). The batch failed (onBadRecord: fail); set onBadRecord to skip or deadLetter to go on without such records.`,
    });
    const { progress, deadLetters } = await run(sink(), 'deadLetter');
    const [rows] = await admin.query(`SELECT id, time, name, score FROM streamlab.${table} ORDER BY id`);
    assert.deepEqual(
      (rows as mysql.RowDataPacket[]).map((r) => ({ ...r })),
      [
        { id: 1, time: new Date(at(1)), name: '', score: 1.5 },
        { id: 3, time: new Date(at(3)), name: null, score: 2.5 },
      ],
    );
    const description = progress[0].sink.description;
    assert.equal(
      deadLetters,
      sinkLetters(description, (_, v) => `column score of streamlab.${table}: ${v} has no SQL value (MySQL stores no NaN or infinity)`),
    );
    assert.deepEqual(progress[0].sink.metrics, { numBadRecords: 3 });
  });
});

describeOrSkip('starrocks sink (Stream Load, against the peer): onBadRecord', { skip: mariadb.skip }, () => {
  let admin: mysql.Connection;
  let peer: StarRocksPeer;
  const table = `badrec_sr_${process.pid}`;
  const sink = () =>
    starrocksSink.create(
      starrocksSink.options.parse({ feHost: peer.feHost, httpPort: peer.fePort, database: 'streamlab', table, maxRetries: 2 }),
      { input: schema, location: { file: 'test.yaml', path: 'sink' }, queryName: 'test', compile: () => assert.fail('no expressions') },
    );
  before(async () => {
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: 'streamlab', timezone: 'Z' });
    await admin.query(`CREATE TABLE ${table} (id BIGINT NOT NULL, time DATETIME(3), name VARCHAR(20), score DOUBLE)`);
    peer = await startStarRocksPeer({ mariadb: { host: mariadb.host, port: mariadb.port } });
  });
  after(async () => {
    await peer?.close();
    await admin?.query(`DROP TABLE IF EXISTS ${table}`);
    await admin?.end();
  });

  it('NaN and infinities go to the policy (dead letters / fail naming row and column); the other rows are loaded', async () => {
    await assert.rejects(run(sink(), 'fail'), {
      message: `starrocks sink: batch 0, row 2: column score of streamlab.${table}: NaN has no StarRocks value. The batch failed (onBadRecord: fail); set onBadRecord to skip or deadLetter to go on without such records.`,
    });
    const { progress, deadLetters } = await run(sink(), 'deadLetter');
    const [rows] = await admin.query(`SELECT id, time, name, score FROM ${table} ORDER BY id`);
    assert.deepEqual(
      (rows as mysql.RowDataPacket[]).map((r) => ({ ...r })),
      [
        { id: 1, time: new Date(at(1)), name: '', score: 1.5 },
        { id: 3, time: new Date(at(3)), name: null, score: 2.5 },
      ],
    );
    assert.equal(
      deadLetters,
      sinkLetters(progress[0].sink.description, (_, v) => `column score of streamlab.${table}: ${v} has no StarRocks value`),
    );
    assert.deepEqual(progress[0].sink.metrics, { numBadRecords: 3 });
  });

  it('mode insert (against MariaDB): checked before any statement, so a failed batch inserted nothing', async () => {
    await admin.query(`DELETE FROM ${table}`);
    const insert = () =>
      starrocksSink.create(
        starrocksSink.options.parse({
          mode: 'insert',
          mysqlPort: mariadb.port,
          database: 'streamlab',
          table,
          withLabel: false,
          batchSize: 1,
          maxRetries: 2,
        }),
        { input: schema, location: { file: 'test.yaml', path: 'sink' }, queryName: 'test', compile: () => assert.fail('no expressions') },
      );
    await assert.rejects(run(insert(), 'fail'), /starrocks sink: batch 0, row 2: column score of streamlab\.\w+: NaN has no SQL value/);
    const [none] = await admin.query(`SELECT id FROM ${table}`);
    assert.deepEqual(none, [], 'row 1 comes before the bad row 2 but was not inserted');
    const { progress } = await run(insert(), 'skip');
    const [rows] = await admin.query(`SELECT id FROM ${table} ORDER BY id`);
    assert.deepEqual(
      (rows as mysql.RowDataPacket[]).map((r) => r.id),
      [1, 3],
    );
    assert.deepEqual(progress[0].sink.metrics, { numBadRecords: 3 });
  });
});

const cassandra = service('cassandra');
describeOrSkip('cassandra sink: onBadRecord', { skip: cassandra.skip, timeout: 120_000 }, () => {
  const keyspace = testKeyspace('badrec');
  const c = cassandraClient(cassandra.address);
  const sink = (table: string, types: Record<string, string>) =>
    new CassandraSink(
      cassandraConfig(
        CassandraSinkOptions.parse({ contactPoints: cassandra.address, keyspace, table, create: { primaryKey: ['id'], types } }),
        { input: schema, location: { path: 'sink' } },
      ),
    );
  before(async () => {
    await c.connect();
    await createKeyspace(c, keyspace);
  });
  after(async () => {
    await c.execute(`DROP KEYSPACE IF EXISTS "${keyspace}"`).catch(() => undefined);
    await c.shutdown();
  });

  it('a double column holds NaN and the infinities, text holds empty strings: all stored as they are', async () => {
    const { progress, deadLetters } = await run(sink('doubles', {}), 'fail');
    assert.deepEqual(await readCassandra(c, keyspace, 'doubles', 'id'), [
      { id: 1, time: new Date(at(1)), name: '', score: 1.5 },
      { id: 2, time: new Date(at(2)), name: 'nan', score: NaN },
      { id: 3, time: new Date(at(3)), name: null, score: 2.5 },
      { id: 4, time: new Date(at(4)), name: 'inf', score: Infinity },
      { id: 5, time: new Date(at(5)), name: '', score: -Infinity },
    ]);
    assert.equal(deadLetters, '');
    assert.equal(progress[0].sink.metrics, undefined, 'fail reports no bad-record counts');
  });

  it('a decimal column cannot: those rows go to the policy (dead letters / fail naming row and column)', async () => {
    await assert.rejects(run(sink('decimals', { score: 'decimal' }), 'fail'), {
      message: `cassandra sink: batch 0, row 2: column "score": NaN is not a finite number. The batch failed (onBadRecord: fail); set onBadRecord to skip or deadLetter to go on without such records.`,
    });
    assert.deepEqual(await readCassandra(c, keyspace, 'decimals', 'id'), [], 'fail writes nothing of the batch');
    const { progress, deadLetters } = await run(sink('decimals', { score: 'decimal' }), 'deadLetter');
    assert.deepEqual(await readCassandra(c, keyspace, 'decimals', 'id'), [
      { id: 1, time: new Date(at(1)), name: '', score: 1.5 },
      { id: 3, time: new Date(at(3)), name: null, score: 2.5 },
    ]);
    assert.equal(
      deadLetters,
      sinkLetters(progress[0].sink.description, (_, v) => `column "score": ${v} is not a finite number`),
    );
    assert.deepEqual(progress[0].sink.metrics, { numBadRecords: 3 });
  });
});

for (const server of ['influxdb1', 'influxdb18'] as const) {
  const influx = service(server);
  describeOrSkip(`influxdb sink (${server}): onBadRecord`, { skip: influx.skip }, () => {
    const db = `streamlab_badrec_${process.pid}`;
    const url = `http://${influx.address}`;
    const sinks: InfluxDBSink[] = [];
    const sink = (measurement: string) => {
      const s = new InfluxDBSink(
        influxConfig(
          InfluxDBSinkOptions.parse({ api: 'v1', url, bucket: db, measurement, time: 'time', tags: [], fields: ['name', 'score'] }),
          { input: schema, location: { file: 'test', path: 'sink' } },
        ),
      );
      sinks.push(s);
      return s;
    };
    before(async () => createDatabase(url, db));
    after(async () => {
      for (const s of sinks) await s.close();
      await dropDatabase(url, db);
    });

    it('stores empty string fields as empty strings; NaN and infinities go to the policy instead of being left out', async () => {
      await assert.rejects(run(sink('fails'), 'fail'), {
        message: `influxdb sink: batch 0, row 2: column "score": NaN has no line-protocol value (InfluxDB stores no NaN or infinity). The batch failed (onBadRecord: fail); set onBadRecord to skip or deadLetter to go on without such records.`,
      });
      const { progress, deadLetters } = await run(sink('letters'), 'deadLetter');
      assert.deepEqual(await readInfluxQL(url, db, 'letters'), [
        { measurement: 'letters', tags: {}, fields: { name: '', score: 1.5 }, time: T + 1000 },
        { measurement: 'letters', tags: {}, fields: { score: 2.5 }, time: T + 3000 },
      ]);
      assert.deepEqual(await fieldTypes(url, db, 'letters'), { name: 'string', score: 'float' });
      assert.equal(
        deadLetters,
        sinkLetters(
          progress[0].sink.description,
          (_, v) => `column "score": ${v} has no line-protocol value (InfluxDB stores no NaN or infinity)`,
        ),
      );
      assert.deepEqual(progress[0].sink.metrics, { numBadRecords: 3 });
    });
  });
}
