/** Smoke test of the Cassandra that `npm run services -- up cassandra` starts: create, write, read back, compare. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import cassandraDriver from 'cassandra-driver';
import { service } from '../support/services.js';

const cassandra = service('cassandra');

describeOrSkip('integration: cassandra smoke', { skip: cassandra.skip }, () => {
  const table = `streamlab.smoke_${process.pid}_${Date.now()}`;
  let client: cassandraDriver.Client;

  before(async () => {
    client = new cassandraDriver.Client({ contactPoints: [cassandra.address], localDataCenter: 'datacenter1' });
    await client.connect();
    await client.execute("CREATE KEYSPACE IF NOT EXISTS streamlab WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  });

  after(async () => {
    await client?.execute(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await client?.shutdown();
  });

  it('stores rows and returns the same rows', { timeout: 60_000 }, async () => {
    await client.execute(`CREATE TABLE ${table} (id int PRIMARY KEY, name text, value double, ts timestamp)`);
    const rows = [
      { id: 1, name: 'alpha', value: 1.5, ts: new Date('2024-05-01T10:00:00.123Z') },
      { id: 2, name: 'béta ✓', value: -2.25, ts: new Date('2024-05-01T10:00:01.000Z') },
      { id: 3, name: 'gamma', value: null, ts: new Date('2024-05-01T10:00:02.999Z') },
    ];
    for (const row of rows) {
      await client.execute(`INSERT INTO ${table} (id, name, value, ts) VALUES (?, ?, ?, ?)`, [row.id, row.name, row.value, row.ts], {
        prepare: true,
      });
    }
    const result = await client.execute(`SELECT id, name, value, ts FROM ${table}`);
    // Partitions come back in token order, not insertion order.
    const read = result.rows
      .map((row) => ({ id: row.get('id'), name: row.get('name'), value: row.get('value'), ts: row.get('ts') }))
      .sort((a, b) => a.id - b.id);
    assert.deepEqual(read, rows);
  });
});
