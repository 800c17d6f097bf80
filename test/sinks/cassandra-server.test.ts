/**
 * The cassandra sink against the real Cassandra 5 of `npm run services -- up cassandra`: the whole table is read
 * back with the plain driver and compared with the rows expected (every row, every column). Each run works in a
 * keyspace of its own, dropped at the end.
 *
 * What every sink must do (one batch, many, empty, replays, a crash before commits/N, every column type) is in the
 * sink conformance suite (test/sinks/conformance.test.ts). Here: what is Cassandra's own, e.g. generated ids, which a
 * crash after the write and before commits/N (test/support/crash-after-write.ts) must reproduce on the replay.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import type cassandraDriver from 'cassandra-driver';
import { buildJob } from '../../src/config/build-job.js';
import { loadJob } from '../../src/config/load-job.js';
import { RuntimeError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { StreamingQuery, type QueryDefinition } from '../../src/core/query.js';
import type { Offset, Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import type { Sink, SinkContext } from '../../src/core/sink.js';
import type { Source } from '../../src/core/source.js';
import { CassandraSink, CassandraSinkOptions, resolveConfig } from '../../src/sinks/cassandra/index.js';
import { RowIds } from '../../src/sinks/cassandra/uuid.js';
import { RateMicroBatchSource } from '../../src/sources/rate-micro-batch.js';
import { service } from '../support/services.js';
import { crashAfterWriteAndRestart } from '../support/crash-after-write.js';
import { client, createKeyspace, readTable, testKeyspace, type Plain } from './cassandra-fixtures/read-back.js';

const cassandra = service('cassandra');
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const context = (queryId = 'query-1'): SinkContext => ({ queryId, queryName: 'test', outputMode: 'append', logger: silentLogger });

describeOrSkip('cassandra sink against Cassandra 5', { skip: cassandra.skip, timeout: 240_000 }, () => {
  const keyspace = testKeyspace('sink');
  let c: cassandraDriver.Client;
  let dir: string;

  before(async () => {
    // Jobs name their files (data/people.json) relative to the working directory, as the CLI runs them.
    process.chdir(repoRoot);
    c = client(cassandra.address);
    await c.connect();
    await createKeyspace(c, keyspace);
    dir = await mkdtemp(join(tmpdir(), 'streamlab-cassandra-'));
  });
  after(async () => {
    await c?.execute(`DROP KEYSPACE IF EXISTS "${keyspace}"`).catch(() => undefined);
    await c?.shutdown();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const sink = (options: Record<string, unknown>, input: Schema) =>
    new CassandraSink(
      resolveConfig(CassandraSinkOptions.parse({ contactPoints: cassandra.address, keyspace, ...options }), {
        input,
        location: { path: 'sink' },
      }),
    );

  /** Runs `body` with an opened sink, and closes it whatever happens. */
  async function withSink(options: Record<string, unknown>, input: Schema, body: (s: CassandraSink) => Promise<void>, queryId?: string) {
    const s = sink(options, input);
    await s.open(context(queryId));
    try {
      await body(s);
    } finally {
      await s.close();
    }
  }

  it('writes every row with every column type it maps, exactly', async () => {
    await c.execute(
      `CREATE TABLE "${keyspace}".types (id bigint PRIMARY KEY, ts timestamp, score double, ok boolean, name text, tags list<text>, ` +
        'attrs map<text, int>, small int, day date, ip inet, uid uuid, big varint, price decimal, word text)',
    );
    const input: Schema = [
      { name: 'id', type: 'long' },
      { name: 'ts', type: 'timestamp' },
      { name: 'score', type: 'double' },
      { name: 'ok', type: 'boolean' },
      { name: 'name', type: 'string' },
      { name: 'tags', type: 'array' },
      { name: 'attrs', type: 'struct' },
      { name: 'small', type: 'long' },
      { name: 'day', type: 'timestamp' },
      { name: 'ip', type: 'string' },
      { name: 'uid', type: 'string' },
      { name: 'big', type: 'long' },
      { name: 'price', type: 'double' },
      { name: 'word', type: 'any' },
    ];
    const rows: Row[] = [
      {
        id: 1,
        ts: new Date(T0 + 1),
        score: 1.5,
        ok: true,
        name: 'alpha',
        tags: ['a', 'b'],
        attrs: { x: 1, y: 2 },
        small: -7,
        day: new Date(Date.UTC(2026, 0, 31, 23, 59)),
        ip: '10.0.0.1',
        uid: '886313e1-3b8a-5372-9b90-0c9aee199e5d',
        big: 2 ** 53 - 1,
        price: 19.99,
        word: 'spark',
      },
      {
        id: 2,
        ts: new Date(T0 + 2),
        score: -0.25,
        ok: false,
        name: 'béta ✓',
        tags: [],
        attrs: {},
        small: 2147483647,
        day: new Date(Date.UTC(1999, 11, 31)),
        ip: '::1',
        uid: '00000000-0000-4000-8000-000000000000',
        big: -3,
        price: 0,
        word: 'streaming',
      },
      {
        id: 3,
        ts: new Date(T0 + 3),
        score: null,
        ok: null,
        name: null,
        tags: null,
        attrs: null,
        small: null,
        day: null,
        ip: null,
        uid: null,
        big: null,
        price: null,
        word: null,
      },
    ];
    await withSink({ table: 'types' }, input, (s) => s.foreachBatch(rows, 0));
    assert.deepEqual(await readTable(c, keyspace, 'types', 'id'), [
      {
        id: 1,
        ts: new Date(T0 + 1),
        score: 1.5,
        ok: true,
        name: 'alpha',
        tags: ['a', 'b'],
        attrs: { x: 1, y: 2 },
        small: -7,
        day: '2026-01-31',
        ip: '10.0.0.1',
        uid: '886313e1-3b8a-5372-9b90-0c9aee199e5d',
        big: 2 ** 53 - 1,
        price: 19.99,
        word: 'spark',
      },
      // An empty list or map is no value at all in Cassandra: it reads back as null.
      {
        id: 2,
        ts: new Date(T0 + 2),
        score: -0.25,
        ok: false,
        name: 'béta ✓',
        tags: null,
        attrs: null,
        small: 2147483647,
        day: '1999-12-31',
        ip: '::1',
        uid: '00000000-0000-4000-8000-000000000000',
        big: -3,
        price: 0,
        word: 'streaming',
      },
      {
        id: 3,
        ts: new Date(T0 + 3),
        score: null,
        ok: null,
        name: null,
        tags: null,
        attrs: null,
        small: null,
        day: null,
        ip: null,
        uid: null,
        big: null,
        price: null,
        word: null,
      },
    ]);
  });

  it('a replayed batch overwrites its own rows (natural key), and many rows in flight all land', async () => {
    const input: Schema = [
      { name: 'timestamp', type: 'timestamp' },
      { name: 'value', type: 'long' },
    ];
    const batch = (b: number) => Array.from({ length: 2000 }, (_, i) => ({ timestamp: new Date(T0 + b * 1000), value: b * 2000 + i }));
    await withSink({ table: 'replay', create: { primaryKey: ['value'] }, concurrency: 64 }, input, async (s) => {
      await s.foreachBatch(batch(0), 0);
      await s.foreachBatch(batch(1), 1);
      await s.foreachBatch(batch(1), 1); // the replay
      await s.foreachBatch([], 2);
    });
    const expected = [...batch(0), ...batch(1)].map((r) => ({ value: r.value, timestamp: r.timestamp }));
    assert.deepEqual(await readTable(c, keyspace, 'replay', 'value'), expected);
  });

  it('generated uuids: a replayed batch reproduces its ids, so no row is added twice', async () => {
    const input: Schema = [
      { name: 'timestamp', type: 'timestamp' },
      { name: 'value', type: 'long' },
    ];
    const checkpointLocation = join(dir, 'uuids');
    const definition = (s: Sink): QueryDefinition => ({
      name: 'uuids',
      source: new RateMicroBatchSource(4, T0, 1000),
      operators: [],
      sink: s,
      trigger: { kind: 'default' },
      outputMode: 'append',
      checkpointLocation,
    });
    const make = () => sink({ table: 'events', id: { generate: 'uuid' }, create: { primaryKey: ['id'] } }, input);
    const { restarted } = await crashAfterWriteAndRestart({ definition, sink: make, crashAt: 1, maxBatches: 2 });

    const ids = new RowIds(restarted.id);
    const expected = Array.from({ length: 12 }, (_, v) => ({
      id: ids.id(Math.floor(v / 4), v % 4),
      value: v,
      timestamp: new Date(T0 + Math.floor(v / 4) * 1000),
    }));
    const byValue = (rows: Plain[]) => [...rows].sort((a, b) => (a.value as number) - (b.value as number));
    assert.deepEqual(
      byValue(await readTable(c, keyspace, 'events', 'id')),
      expected,
      'batches 0..2, 4 rows each, batch 1 written twice with the same ids',
    );
  });

  it("people-cassandra, then people-cassandra-read: the course's people with replay-safe ids, read back", async () => {
    const env = { ...process.env, CASSANDRA_CONTACT_POINTS: cassandra.address, CASSANDRA_KEYSPACE: keyspace };
    const checkpointLocation = join(dir, 'people');
    const job = () => buildJob(loadJob('people-cassandra', { cwd: repoRoot, env })).query;
    const { restarted } = await crashAfterWriteAndRestart({
      definition: (sink) => ({ ...job(), checkpointLocation, sink }),
      sink: () => job().sink,
      crashAt: 0,
    });

    const ids = new RowIds(restarted.id);
    const people = [
      { name: 'Michael', age: null },
      { name: 'Andy', age: 30 },
      { name: 'Justin', age: 19 },
    ];
    const expected = people.map((p, i) => ({ id: ids.id(0, i), ...p })).sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.deepEqual(await readTable(c, keyspace, 'people', 'id'), expected);

    const read = buildJob(loadJob('people-cassandra-read', { cwd: repoRoot, env })).query;
    const seen: Row[] = [];
    const collect: Sink = {
      description: 'collect',
      async open() {},
      async foreachBatch(rows) {
        seen.push(...rows);
      },
      async close() {},
    };
    await new StreamingQuery({ ...read, sink: collect, checkpointLocation: join(dir, 'people-read') }).run();
    assert.deepEqual(
      [...seen].sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1)),
      expected,
    );
  });

  it('socket-wordcount-cassandra: update mode upserts each changed word with its count since the start', async () => {
    const env = { ...process.env, CASSANDRA_CONTACT_POINTS: cassandra.address, CASSANDRA_KEYSPACE: keyspace };
    const lines = [['spark streaming', 'spark'], ['cassandra spark  streaming'], ['flink']];
    const run = async (batches: number) => {
      const { query } = buildJob(loadJob('socket-wordcount-cassandra', { cwd: repoRoot, env }));
      // Lines as the socket would deliver them, but replayable and one list per batch.
      await new StreamingQuery(
        { ...query, source: new LinesSource(lines), trigger: { kind: 'default' }, checkpointLocation: join(dir, 'wordcount') },
        { maxBatches: batches },
      ).run();
    };
    await run(1);
    assert.deepEqual(await readTable(c, keyspace, 'wordcount', 'word'), [
      { word: 'spark', count: 2 },
      { word: 'streaming', count: 1 },
    ]);
    await run(2); // a restart: the counts go on from the checkpointed state
    assert.deepEqual(await readTable(c, keyspace, 'wordcount', 'word'), [
      { word: 'cassandra', count: 1 },
      { word: 'flink', count: 1 },
      { word: 'spark', count: 3 },
      { word: 'streaming', count: 2 },
    ]);
  });

  it('a table that does not fit the rows fails at open(), naming each column, before any write', async () => {
    await c.execute(`CREATE TABLE "${keyspace}".mismatch (value text PRIMARY KEY, ts timestamp, extra int)`);
    const input: Schema = [
      { name: 'value', type: 'long' },
      { name: 'timestamp', type: 'timestamp' },
    ];
    const s = sink({ table: 'mismatch' }, input);
    await assert.rejects(s.open(context()), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.equal(
        error.message,
        `cassandra sink (Cassandra at ${cassandra.address}): the table ${keyspace}.mismatch does not fit the rows:\n` +
          `  - column "value" of ${keyspace}.mismatch is text, and the input column "value" (long) cannot go there: a long column cannot fill a text column (it takes string values)\n` +
          `  - column "timestamp" (for the input column "timestamp" (timestamp)) does not exist in ${keyspace}.mismatch, which has: value text, extra int, ts timestamp. ` +
          `Add it (ALTER TABLE ${keyspace}.mismatch ADD timestamp <type>) or write that input column under another name (columns)`,
      );
      return true;
    });
    // Mapped onto the right columns, but the key still cannot hold longs.
    const mapped = sink({ table: 'mismatch', columns: { timestamp: 'ts', value: 'extra' } }, input);
    await assert.rejects(
      mapped.open(context()),
      /the primary key column "value" of .*mismatch gets no value: the rows have no column of that name\. Map an input column to it \(columns: \{ <input column>: value \}\)$/,
    );
    assert.deepEqual(await readTable(c, keyspace, 'mismatch', 'value'), []);
  });

  it('a missing keyspace or table: the message gives the CQL that creates it, and that CQL works', async () => {
    const input: Schema = [
      { name: 'name', type: 'string' },
      { name: 'age', type: 'long' },
    ];
    const missingKeyspace = sink({ keyspace: `${keyspace}_absent`, table: 'people', id: { generate: 'uuid' } }, input);
    await assert.rejects(missingKeyspace.open(context()), (error: unknown) => {
      assert.equal(
        (error as Error).message,
        `cassandra sink (Cassandra at ${cassandra.address}): the keyspace ${keyspace}_absent does not exist. Create it in cqlsh (the primary key shown is a guess: choose yours):\n` +
          `  CREATE KEYSPACE ${keyspace}_absent WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\n` +
          `  CREATE TABLE ${keyspace}_absent.people (name text, age bigint, id uuid, PRIMARY KEY (id));\n` +
          'or let the sink create both: create: { primaryKey: [id] }',
      );
      return true;
    });
    const missingTable = sink({ table: 'nobody', id: { generate: 'uuid' } }, input);
    const message = await missingTable.open(context()).then(
      () => '',
      (error: Error) => error.message,
    );
    const cql = /^ {2}(CREATE TABLE .*);$/m.exec(message)?.[1];
    assert.equal(cql, `CREATE TABLE ${keyspace}.nobody (name text, age bigint, id uuid, PRIMARY KEY (id))`);
    await c.execute(cql!);
    await withSink({ table: 'nobody', id: { generate: 'uuid' } }, input, (s) => s.foreachBatch([{ name: 'Ann', age: 41 }], 0), 'q');
    assert.deepEqual(await readTable(c, keyspace, 'nobody', 'id'), [{ id: new RowIds('q').id(0, 0), name: 'Ann', age: 41 }]);
  });

  it('a value the column cannot hold, or a null key, stops the batch before anything of it is written', async () => {
    const input: Schema = [
      { name: 'id', type: 'long' },
      { name: 'age', type: 'long' },
    ];
    await withSink({ table: 'narrow', create: { primaryKey: ['id'], types: { age: 'int' } } }, input, async (s) => {
      const rows = [
        { id: 1, age: 30 },
        { id: 2, age: 2 ** 31 },
        { id: 3, age: 5 },
      ];
      await assert.rejects(s.foreachBatch(rows, 7), (error: unknown) => {
        assert.ok(error instanceof RuntimeError);
        assert.equal(
          error.message,
          `cassandra sink: batch 7, row 2: column "age": 2147483648 is not an integer in the range of int (-2147483648..2147483647)`,
        );
        return true;
      });
      await assert.rejects(
        s.foreachBatch(
          [
            { id: 1, age: 1 },
            { id: null, age: 2 },
          ],
          8,
        ),
        /batch 8, row 2: column "id": null, but "id" is part of the primary key of .*narrow, which cannot hold null; filter such rows out \(filter: "id IS NOT NULL"\)$/,
      );
    });
    assert.deepEqual(await readTable(c, keyspace, 'narrow', 'id'), []);
  });

  it('rows of one partition go in unlogged batches: every row lands, in big partitions and wide rows too', async () => {
    const input: Schema = [
      { name: 'sensor', type: 'string' },
      { name: 'ts', type: 'timestamp' },
      { name: 'note', type: 'string' },
    ];
    // 4 partitions of 250 rows (batches of at most 100), one lone row, and wide rows (one per request).
    const rows: Row[] = [];
    for (let i = 0; i < 1000; i++)
      rows.push({ sensor: `s${i % 4}`, ts: new Date(T0 + i), note: i % 100 === 0 ? 'w'.repeat(3000) : `n${i}` });
    rows.push({ sensor: 'lone', ts: new Date(T0), note: null });
    await withSink({ table: 'partitions', create: { primaryKey: ['sensor', 'ts'] } }, input, async (s) => {
      await s.foreachBatch(rows, 0);
      await s.foreachBatch(rows, 0); // the replay
    });
    const key = (r: Plain) => `${r.sensor}/${String((r.ts as Date).getTime()).padStart(15, '0')}`;
    assert.deepEqual(
      await readTable(c, keyspace, 'partitions', key),
      [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
    );
  });

  it('maps input columns to table columns, creates a composite key, and writes with a TTL', async () => {
    const input: Schema = [
      { name: 'timestamp', type: 'timestamp' },
      { name: 'device', type: 'string' },
      { name: 'reading', type: 'double' },
      { name: 'debug', type: 'string' },
    ];
    const rows = [
      { timestamp: new Date(T0), device: 'd1', reading: 1.25, debug: 'x' },
      { timestamp: new Date(T0 + 1000), device: 'd1', reading: 2.5, debug: 'y' },
      { timestamp: new Date(T0), device: 'd2', reading: 3.75, debug: 'z' },
    ];
    const options = {
      table: 'readings',
      columns: { device: 'sensor', timestamp: 'ts', reading: 'value' },
      ttl: '1h',
      create: { primaryKey: [['sensor'], 'ts'] },
    };
    await withSink(options, input, (s) => s.foreachBatch(rows, 0));
    assert.deepEqual(await readTable(c, keyspace, 'readings', (r) => `${r.sensor}/${(r.ts as Date).getTime()}`), [
      { sensor: 'd1', ts: new Date(T0), value: 1.25 },
      { sensor: 'd1', ts: new Date(T0 + 1000), value: 2.5 },
      { sensor: 'd2', ts: new Date(T0), value: 3.75 },
    ]);
    const table = await c.metadata.getTable(keyspace, 'readings');
    assert.deepEqual([table.partitionKeys.map((k) => k.name), table.clusteringKeys.map((k) => k.name)], [['sensor'], ['ts']]);
    const ttls = (await c.execute(`SELECT TTL(value) AS t FROM "${keyspace}".readings`)).rows.map((r) => r.get('t') as number);
    assert.ok(ttls.length === 3 && ttls.every((t) => t > 3500 && t <= 3600), `TTLs ${ttls}`);
  });
});

/** A replayable source of text lines, one list per batch (offset = batches read), shaped like the socket source. */
class LinesSource implements Source {
  readonly replayable = true;
  readonly description = 'LinesSource';
  readonly schema: Schema = [{ name: 'value', type: 'string' }];
  constructor(private readonly batches: string[][]) {}
  async open() {}
  latestOffset(start: Offset | null): Offset | null {
    const next = ((start as number | null) ?? 0) + 1;
    return next <= this.batches.length ? next : start;
  }
  getBatch(start: Offset | null, end: Offset): Row[] {
    return this.batches
      .slice((start as number | null) ?? 0, end as number)
      .flat()
      .map((value) => ({ value }));
  }
  async stop() {}
}
