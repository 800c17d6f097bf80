/** Smoke test of the MariaDB that `npm run services -- up mariadb` starts: create, write, read back, compare. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import { service } from '../support/services.js';

const mariadb = service('mariadb');

describeOrSkip('integration: mariadb smoke', { skip: mariadb.skip }, () => {
  const table = `smoke_${process.pid}_${Date.now()}`;
  let connection: mysql.Connection;

  before(async () => {
    connection = await mysql.createConnection({
      host: mariadb.host,
      port: mariadb.port,
      user: 'root',
      database: 'streamlab',
      timezone: 'Z',
    });
  });

  after(async () => {
    await connection?.query(`DROP TABLE IF EXISTS ${table}`);
    await connection?.end();
  });

  it('stores rows and returns the same rows', async () => {
    await connection.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, value DOUBLE, ts DATETIME(3) NOT NULL)`);
    const rows = [
      { id: 1, name: 'alpha', value: 1.5, ts: new Date('2024-05-01T10:00:00.123Z') },
      { id: 2, name: 'béta ✓', value: -2.25, ts: new Date('2024-05-01T10:00:01.000Z') },
      { id: 3, name: 'gamma', value: null, ts: new Date('2024-05-01T10:00:02.999Z') },
    ];
    await connection.query(`INSERT INTO ${table} (id, name, value, ts) VALUES ?`, [
      rows.map((row) => [row.id, row.name, row.value, row.ts]),
    ]);
    const [read] = await connection.query(`SELECT id, name, value, ts FROM ${table} ORDER BY id`);
    assert.deepEqual(
      (read as mysql.RowDataPacket[]).map((row) => ({ ...row })),
      rows,
    );
  });
});
