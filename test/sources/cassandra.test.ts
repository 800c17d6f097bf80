/**
 * The cassandra source against the real Cassandra 5 of `npm run services -- up cassandra`: rows written with the
 * plain driver are read back through the source, every row and column compared; one batch, then nothing more.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import type cassandraDriver from 'cassandra-driver';
import { createSource } from '../../src/api/build.js';
import { RuntimeError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import type { Sink } from '../../src/core/sink.js';
import type { Source } from '../../src/core/source.js';
import { asyncScheduler } from 'rxjs';
import { cassandraSource } from '../../src/sources/cassandra/index.js';
import { client, createKeyspace, testKeyspace } from '../sinks/cassandra-fixtures/read-back.js';
import { service } from '../support/services.js';

const cassandra = service('cassandra');
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

describeOrSkip('cassandra source against Cassandra 5', { skip: cassandra.skip, timeout: 120_000 }, () => {
  const keyspace = testKeyspace('source');
  let c: cassandraDriver.Client;
  let dir: string;

  before(async () => {
    c = client(cassandra.address);
    await c.connect();
    await createKeyspace(c, keyspace);
    await c.execute(
      `CREATE TABLE "${keyspace}".things (id int PRIMARY KEY, name text, big bigint, score double, ok boolean, ts timestamp, day date, ` +
        'uid uuid, tags list<text>, attrs map<text, int>, ip inet)',
    );
    const insert = `INSERT INTO "${keyspace}".things (id, name, big, score, ok, ts, day, uid, tags, attrs, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    await c.execute(
      insert,
      [
        1,
        'alpha',
        '9007199254740993',
        1.5,
        true,
        new Date(T0),
        '2026-01-31',
        '886313e1-3b8a-5372-9b90-0c9aee199e5d',
        ['a', 'b'],
        { x: 1 },
        '10.0.0.1',
      ],
      { prepare: true },
    );
    await c.execute(
      insert,
      [2, 'béta', '-5', -0.5, false, new Date(T0 + 1), '1999-12-31', '00000000-0000-4000-8000-000000000000', null, null, '::1'],
      { prepare: true },
    );
    await c.execute(insert, [3, null, null, null, null, null, null, null, null, null, null], { prepare: true });
    await c.execute(`CREATE TABLE "${keyspace}".many (p int, n int, PRIMARY KEY (p, n))`);
    for (let n = 0; n < 50; n++) await c.execute(`INSERT INTO "${keyspace}".many (p, n) VALUES (?, ?)`, [n % 3, n], { prepare: true });
    dir = await mkdtemp(join(tmpdir(), 'streamlab-cassandra-source-'));
  });
  after(async () => {
    await c?.execute(`DROP KEYSPACE IF EXISTS "${keyspace}"`).catch(() => undefined);
    await c?.shutdown();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const source = (options: Record<string, unknown>) =>
    createSource(cassandraSource, { contactPoints: cassandra.address, keyspace, ...options } as never);
  /** Opens, reads the one batch, stops. */
  async function readOnce(s: Source): Promise<Row[]> {
    await s.open({ scheduler: asyncScheduler, logger: silentLogger });
    try {
      const end = await s.latestOffset(null);
      assert.equal(end, 1);
      return await s.getBatch(null, end!);
    } finally {
      await s.stop();
    }
  }
  const byId = (rows: Row[]) => [...rows].sort((a, b) => (a.id as number) - (b.id as number));

  it('reads every row, each column as its declared type', async () => {
    const rows = await readOnce(
      source({
        table: 'things',
        schema: {
          id: 'long',
          name: 'string',
          big: 'long',
          score: 'double',
          ok: 'boolean',
          ts: 'timestamp',
          day: 'timestamp',
          uid: 'string',
          tags: 'array',
          attrs: 'struct',
          ip: 'string',
        },
      }),
    );
    assert.deepEqual(byId(rows), [
      {
        id: 1,
        name: 'alpha',
        big: 9007199254740993n,
        score: 1.5,
        ok: true,
        ts: new Date(T0),
        day: new Date(Date.UTC(2026, 0, 31)),
        uid: '886313e1-3b8a-5372-9b90-0c9aee199e5d',
        tags: ['a', 'b'],
        attrs: { x: 1 },
        ip: '10.0.0.1',
      },
      {
        id: 2,
        name: 'béta',
        big: -5,
        score: -0.5,
        ok: false,
        ts: new Date(T0 + 1),
        day: new Date(Date.UTC(1999, 11, 31)),
        uid: '00000000-0000-4000-8000-000000000000',
        tags: null,
        attrs: null,
        ip: '::1',
      },
      { id: 3, name: null, big: null, score: null, ok: null, ts: null, day: null, uid: null, tags: null, attrs: null, ip: null },
    ]);
  });

  it('reads as string or any, restricts with where, and pages through large results', async () => {
    const rows = await readOnce(source({ table: 'things', schema: { id: 'string', day: 'string', big: 'any' }, where: 'id IN (1, 2)' }));
    assert.deepEqual(
      [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id))),
      [
        { id: '1', day: '2026-01-31', big: 9007199254740993n },
        { id: '2', day: '1999-12-31', big: -5 },
      ],
    );
    const many = await readOnce(source({ table: 'many', schema: { p: 'long', n: 'long' }, fetchSize: 7 }));
    assert.deepEqual(
      many.map((r) => r.n).sort((a, b) => (a as number) - (b as number)),
      Array.from({ length: 50 }, (_, n) => n),
    );
    assert.ok(many.every((r) => r.p === (r.n as number) % 3));
  });

  it('a job with availableNow reads the table once and stops; run again, it reads nothing new', async () => {
    const seen: number[][] = [];
    const collect: Sink = {
      description: 'collect',
      async open() {},
      async foreachBatch(rows) {
        seen.push(rows.map((r) => r.n as number));
      },
      async close() {},
    };
    const run = () =>
      new StreamingQuery({
        name: 'read',
        source: source({ table: 'many', schema: { n: 'long' }, where: 'p = 1' }),
        operators: [],
        sink: collect,
        trigger: { kind: 'availableNow' },
        outputMode: 'append',
        checkpointLocation: join(dir, 'read'),
      }).run();
    await run();
    await run();
    const ones = Array.from({ length: 50 }, (_, n) => n).filter((n) => n % 3 === 1);
    assert.deepEqual(
      seen.map((batch) => batch.sort((a, b) => a - b)),
      [ones],
      'one batch in all',
    );
  });

  it('a schema that does not fit the table fails at open(), naming each column', async () => {
    await assert.rejects(
      readOnce(source({ table: 'things', schema: { id: 'long', nme: 'string', ok: 'long', tags: 'string' } })),
      (error: unknown) => {
        assert.ok(error instanceof RuntimeError);
        assert.equal(
          error.message,
          `cassandra source (Cassandra at ${cassandra.address}): the schema does not fit ${keyspace}.things:\n` +
            `  - ${keyspace}.things has no column "nme" (it has: attrs, big, day, id, ip, name, ok, score, tags, ts, uid)\n` +
            '  - column "ok": a boolean column cannot be read as long (read it as boolean, or any)\n' +
            '  - column "tags": a list<text> column cannot be read as string (read it as array, or any)',
        );
        return true;
      },
    );
    await assert.rejects(
      readOnce(source({ table: 'nothing', schema: { id: 'long' } })),
      new RegExp(`^RuntimeError: cassandra source \\(Cassandra at ${cassandra.address}\\): the table ${keyspace}.nothing does not exist$`),
    );
  });
});
