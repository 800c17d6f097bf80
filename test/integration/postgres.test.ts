/** Smoke test of the PostgreSQL that `npm run services -- up postgres` starts: create, write, read back, compare. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import pg from 'pg';
import { service } from '../support/services.js';

const postgres = service('postgres');

describeOrSkip('integration: postgres smoke', { skip: postgres.skip }, () => {
  const table = `smoke_${process.pid}_${Date.now()}`;
  let client: pg.Client;

  before(async () => {
    client = new pg.Client({ host: postgres.host, port: postgres.port, user: 'postgres', database: 'streamlab' });
    await client.connect();
  });

  after(async () => {
    await client?.query(`DROP TABLE IF EXISTS ${table}`);
    await client?.end();
  });

  it('stores rows and returns the same rows', async () => {
    await client.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, name TEXT NOT NULL, value DOUBLE PRECISION, ts TIMESTAMPTZ NOT NULL)`);
    const rows = [
      { id: 1, name: 'alpha', value: 1.5, ts: new Date('2024-05-01T10:00:00.123Z') },
      { id: 2, name: 'béta ✓', value: -2.25, ts: new Date('2024-05-01T10:00:01.000Z') },
      { id: 3, name: 'gamma', value: null, ts: new Date('2024-05-01T10:00:02.999Z') },
    ];
    for (const row of rows) {
      await client.query(`INSERT INTO ${table} (id, name, value, ts) VALUES ($1, $2, $3, $4)`, [row.id, row.name, row.value, row.ts]);
    }
    const read = await client.query(`SELECT id, name, value, ts FROM ${table} ORDER BY id`);
    assert.deepEqual(
      read.rows.map((row) => ({ ...row })),
      rows,
    );
  });
});
