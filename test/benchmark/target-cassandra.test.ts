/**
 * The cassandra bench target: the ring slices and the table design without a server, then against the real
 * Cassandra of `npm run services -- up cassandra`: prepare, the real sink (built through the registry as a job
 * builds it) and the baseline writing tsbs-cpu-like rows, read back (count, checksum, and every row compared),
 * count(), diskBytes after a flush, drop (snapshot removed), a leftover replaced, a foreign table refused, a wrong
 * port named. Tables are named per test process in the keyspace `streamlab`.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import type cassandraDriver from 'cassandra-driver';
import { TargetError, type DestinationSpec, type SinkConnection, type TargetSession } from '../../src/benchmark/target.js';
import { cassandraTarget } from '../../src/benchmark/targets/cassandra.js';
import { localTableDirs, removeDroppedSnapshots } from '../../src/benchmark/targets/cassandra/disk.js';
import { tokenSlices } from '../../src/benchmark/targets/cassandra/read-back.js';
import { BENCH_COMMENT, checkLeftover, createTableCql, designTable } from '../../src/benchmark/targets/cassandra/table.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import { findComponent, sinks } from '../../src/registry.js';
import { client, readTable } from '../sinks/cassandra-fixtures/read-back.js';
import { buildContext } from '../support/conformance/build-context.js';
import { service } from '../support/services.js';

const TAGS = ['hostname', 'region', 'datacenter', 'rack', 'os', 'arch', 'team', 'service', 'service_version', 'service_environment'];
const FIELDS = [
  'usage_user',
  'usage_system',
  'usage_idle',
  'usage_nice',
  'usage_iowait',
  'usage_irq',
  'usage_softirq',
  'usage_steal',
  'usage_guest',
  'usage_guest_nice',
];
const schema: Schema = [
  ...TAGS.map((name) => ({ name, type: 'string' as const })),
  { name: 'timestamp', type: 'timestamp' },
  ...FIELDS.map((name) => ({ name, type: 'long' as const })),
];
/** tsbs-cpu-like rows: host i % hosts, one reading per host every 10 s, fields 0..100. */
function tsbsRows(count: number, hosts = 30): Row[] {
  return Array.from({ length: count }, (_, i) => {
    const h = i % hosts;
    const row: Row = { timestamp: new Date(Date.UTC(2016, 0, 1) + Math.floor(i / hosts) * 10_000) };
    TAGS.forEach((tag, t) => {
      row[tag] = tag === 'hostname' ? `host_${h}` : `${tag}_${(h + t) % 7}`;
    });
    FIELDS.forEach((field, f) => {
      row[field] = (i * 7 + f * 13) % 101;
    });
    return row;
  });
}

const spec = (name: string): DestinationSpec => ({ name, schema, checksumColumn: 'usage_user', keyColumns: TAGS, timeColumn: 'timestamp' });
const sumOf = (rows: Row[]) => rows.reduce((sum, r) => sum + (r.usage_user as number), 0);
const batchesOf = (rows: Row[], size: number) =>
  Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));
const sortKey = (r: Record<string, unknown>) => `${r.hostname}/${(r.timestamp as Date).getTime().toString().padStart(15, '0')}`;

describe('cassandra bench target: without a server', () => {
  it('cuts the token ring into slices that cover it exactly once', () => {
    const slices = tokenSlices(64);
    assert.equal(slices.length, 64);
    assert.equal(slices[0][0], -(2n ** 63n));
    assert.equal(slices[63][1], 2n ** 63n - 1n);
    for (let i = 1; i < slices.length; i++) assert.equal(slices[i][0], slices[i - 1][1] + 1n);
  });

  it("partitions by the key columns, clusters by time, and marks the table as the bench's", () => {
    const cql = createTableCql(designTable('ks', { ...spec('sb_t'), keyColumns: ['hostname', 'region'], schema: schema.slice(0, 12) }));
    assert.equal(
      cql,
      'CREATE TABLE "ks"."sb_t" ("hostname" text, "region" text, "datacenter" text, "rack" text, "os" text, "arch" text, "team" text, ' +
        '"service" text, "service_version" text, "service_environment" text, "timestamp" timestamp, "usage_user" bigint, ' +
        `PRIMARY KEY (("hostname", "region"), "timestamp")) WITH comment = '${BENCH_COMMENT}'`,
    );
  });

  it('refuses a spec naming a column its schema lacks, and column types it cannot store', () => {
    assert.throws(() => designTable('ks', { ...spec('x'), checksumColumn: 'nope' }), /x names column "nope"/);
    assert.throws(
      () => designTable('ks', { ...spec('x'), schema: [...schema, { name: 'tags', type: 'array' }] }),
      /column "tags" of x is array/,
    );
  });
});

const cassandra = service('cassandra');
const KEYSPACE = 'streamlab';

describeOrSkip('cassandra bench target against Cassandra', { skip: cassandra.skip }, () => {
  const definition = findComponent(sinks, 'cassandra')!;
  const raw = () => ({ contactPoints: cassandra.address, keyspace: KEYSPACE });
  const prefix = `sb_test_${process.pid}`;
  let session: TargetSession;
  let c: cassandraDriver.Client;

  before(async () => {
    session = await cassandraTarget.open(definition.options.parse({ ...raw(), table: 'unused' }) as SinkConnection);
    c = client(cassandra.address);
    await c.connect();
  });
  after(async () => {
    await session?.close();
    await c?.shutdown();
  });

  it('says which server it is', () => {
    assert.match(session.serverVersion ?? '', /^Cassandra \d+\.\d+\.\d+/);
  });

  it('reads back exactly what the real sink wrote, counts it, measures it after a flush, and drops it', async () => {
    const rows = tsbsRows(3000);
    const destination = await session.prepare(spec(`${prefix}_sink`));
    assert.deepEqual(destination.sinkOptions, { table: `${prefix}_sink` });
    const sink = definition.create(definition.options.parse({ ...raw(), ...destination.sinkOptions }), buildContext(schema));
    await sink.open({ queryId: 'q', queryName: 'bench', outputMode: 'append', logger: { info() {}, warn() {}, error() {} } });
    const batches = batchesOf(rows, 500);
    for (const [id, batch] of batches.entries()) await sink.foreachBatch(batch, id);
    await sink.foreachBatch(batches[2], 2); // a replayed batch overwrites its rows
    await sink.close();

    assert.deepEqual(await destination.readBack(), { rows: 3000, checksum: sumOf(rows) });
    assert.equal(await destination.count(), 3000);
    const stored = await readTable(c, KEYSPACE, `${prefix}_sink`, sortKey);
    assert.deepEqual(
      stored,
      [...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    );

    const table = designTable(KEYSPACE, spec(`${prefix}_sink`));
    const dirs = await localTableDirs(c, table);
    assert.equal(dirs.length, 1, 'the server of npm run services keeps its data on this machine');
    const bytes = await destination.diskBytes();
    assert.ok(bytes !== undefined && bytes > 10_000, `diskBytes after a flush: ${bytes}`);

    await destination.drop();
    assert.equal(await c.metadata.getTable(KEYSPACE, `${prefix}_sink`), null);
    assert.equal(existsSync(dirs[0]), false, `the dropped table's folder and its snapshot are gone: ${dirs[0]}`);
  });

  it('the baseline writes the same rows into its own table and reads back equal', async () => {
    const rows = tsbsRows(2500);
    const destination = await session.prepare(spec(`${prefix}_base`));
    await session.baseline!.write(batchesOf(rows, 700), destination, spec(`${prefix}_base`));
    assert.deepEqual(await destination.readBack(), { rows: 2500, checksum: sumOf(rows) });
    const stored = await readTable(c, KEYSPACE, `${prefix}_base`, sortKey);
    assert.deepEqual(
      stored,
      [...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    );
    await destination.drop();
  });

  it('counts every partition, wherever its token falls in the ring (2000 partitions, one row each)', async () => {
    const rows = tsbsRows(2000, 2000);
    const destination = await session.prepare(spec(`${prefix}_ring`));
    await session.baseline!.write([rows], destination, spec(`${prefix}_ring`));
    assert.deepEqual(await destination.readBack(), { rows: 2000, checksum: sumOf(rows) });
    assert.equal(await destination.count(), 2000);
    await destination.drop();
  });

  it("replaces a leftover of the bench's own of the same name with a fresh, empty table", async () => {
    const first = await session.prepare(spec(`${prefix}_again`));
    await session.baseline!.write([tsbsRows(100)], first, spec(`${prefix}_again`));
    assert.equal(await first.count(), 100);
    const second = await session.prepare(spec(`${prefix}_again`));
    assert.deepEqual(await second.readBack(), { rows: 0, checksum: 0 });
    await second.drop();
  });

  it('refuses a table of the same name with another schema, naming it and the server, and leaves it alone', async () => {
    const name = `${prefix}_foreign`;
    await c.execute(`CREATE TABLE "${KEYSPACE}"."${name}" (id int PRIMARY KEY, note text)`);
    const dirs = await localTableDirs(c, designTable(KEYSPACE, spec(name)));
    try {
      await assert.rejects(session.prepare(spec(name)), (error: Error) => {
        assert.ok(error instanceof TargetError);
        assert.match(
          error.message,
          new RegExp(`the table streamlab\\.${name} in Cassandra at ${cassandra.address} already exists with another schema`),
        );
        assert.match(error.message, /id int, note text/);
        return true;
      });
      assert.notEqual(await c.metadata.getTable(KEYSPACE, name), null);
    } finally {
      await c.execute(`DROP TABLE IF EXISTS "${KEYSPACE}"."${name}"`);
      removeDroppedSnapshots(dirs);
    }
  });

  it('names the contact point and how to start the server when nothing listens there', async () => {
    const connection = definition.options.parse({ contactPoints: '127.0.0.1:1', keyspace: KEYSPACE, table: 'unused' }) as SinkConnection;
    await assert.rejects(cassandraTarget.open(connection), (error: Error) => {
      assert.ok(error instanceof TargetError);
      assert.match(error.message, /cannot reach Cassandra at 127\.0\.0\.1:1 /);
      assert.match(error.message, /npm run services -- up cassandra/);
      return true;
    });
  });

  it('checkLeftover accepts a same-schema table without the mark', async () => {
    const name = `${prefix}_same`;
    const table = designTable(KEYSPACE, spec(name));
    await c.execute(createTableCql(table).replace(/ WITH comment = .*$/, ''));
    try {
      const existing = await c.metadata.getTable(KEYSPACE, name);
      assert.doesNotThrow(() => checkLeftover(table, existing!, 'here'));
      const destination = await session.prepare(spec(name));
      assert.equal(await destination.count(), 0);
      await destination.drop();
    } finally {
      await c.execute(`DROP TABLE IF EXISTS "${KEYSPACE}"."${name}"`);
    }
  });
});
