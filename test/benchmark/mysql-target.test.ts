import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import { TargetError, type TargetSession } from '../../src/benchmark/target.js';
import { mysqlTarget } from '../../src/benchmark/targets/mysql.js';
import { service } from '../support/services.js';
import { batchesOf, checksumOf, inOrder, makeRows, readAll, spec, writeThroughSink } from './sql-fixtures.js';

const mariadb = service('mariadb');
const DATABASE = 'streamlab';
const name = (what: string) => `sb_sqltest_${what}_${process.pid}`;

/** A port nothing listens on: bound, then released. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describeOrSkip('mysql bench target against MariaDB', { skip: mariadb.skip }, () => {
  let admin: mysql.Connection;
  let session: TargetSession;
  const raw = () => ({ host: mariadb.host, port: mariadb.port, user: 'root', database: DATABASE });

  before(async () => {
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: DATABASE, timezone: 'Z' });
    session = await mysqlTarget.open({ ...raw(), password: '', commitTable: 'streamlab_commits' });
  });
  after(async () => {
    for (const what of ['sink', 'baseline', 'foreign']) await admin?.query(`DROP TABLE IF EXISTS ${name(what)}`);
    await session?.close();
    await admin?.end();
  });

  it('names the server version', () => {
    assert.match(session.serverVersion ?? '', /^MariaDB \d+\.\d+\.\d+$/);
  });

  it('the sink writes a fresh table that reads back exactly, and drop removes it and its commit rows', async () => {
    const rows = makeRows(0, 3000);
    const destination = await session.prepare(spec(name('sink')));
    assert.equal(await destination.count(), 0);
    await writeThroughSink('mysql', { ...raw(), ...destination.sinkOptions }, batchesOf(rows, 1000), 1);
    assert.deepEqual(await destination.readBack(), { rows: 3000, checksum: checksumOf(rows) });
    assert.equal(await destination.count(), 3000);
    assert.deepEqual(await readAll(admin, DATABASE, name('sink')), inOrder(rows));
    const bytes = await destination.diskBytes();
    assert.ok(bytes !== undefined && bytes > 0, `diskBytes ${bytes}`);
    const [commits] = await admin.query('SELECT COUNT(*) AS n FROM streamlab_commits WHERE table_name = ?', [name('sink')]);
    assert.equal(Number((commits as Array<{ n: number }>)[0].n), 3, 'one commit row per batch, the replay skipped');

    await destination.drop();
    const [tables] = await admin.query('SHOW TABLES LIKE ?', [name('sink')]);
    assert.deepEqual(tables, []);
    const [left] = await admin.query('SELECT COUNT(*) AS n FROM streamlab_commits WHERE table_name = ?', [name('sink')]);
    assert.equal(Number((left as Array<{ n: number }>)[0].n), 0);
  });

  it('a leftover of the bench is dropped by prepare', async () => {
    const first = await session.prepare(spec(name('sink')));
    await writeThroughSink('mysql', { ...raw(), ...first.sinkOptions }, [makeRows(0, 10)]);
    const again = await session.prepare(spec(name('sink')));
    assert.deepEqual(await again.readBack(), { rows: 0, checksum: 0 });
    await again.drop();
  });

  it('the LOAD DATA baseline writes the same rows, every field equal', async () => {
    const rows = makeRows(0, 2500);
    const destination = await session.prepare(spec(name('baseline')));
    assert.equal(session.baseline?.name, 'LOAD DATA LOCAL INFILE');
    await session.baseline!.write(batchesOf(rows, 1000), destination, spec(name('baseline')));
    assert.deepEqual(await destination.readBack(), { rows: 2500, checksum: checksumOf(rows) });
    assert.deepEqual(await readAll(admin, DATABASE, name('baseline')), inOrder(rows));
    await destination.drop();
  });

  it('refuses a table of the same name with another schema, naming it and the server, and leaves it alone', async () => {
    await admin.query(`CREATE TABLE ${name('foreign')} (id BIGINT PRIMARY KEY, payload TEXT)`);
    await admin.query(`INSERT INTO ${name('foreign')} VALUES (1, 'keep me')`);
    await assert.rejects(session.prepare(spec(name('foreign'))), (error: Error) => {
      assert.ok(error instanceof TargetError);
      assert.match(error.message, new RegExp(`streamlab\\.${name('foreign')} on ${mariadb.address} exists with other columns`));
      assert.match(error.message, /not the bench's to drop/);
      return true;
    });
    const [rows] = await admin.query(`SELECT payload FROM ${name('foreign')}`);
    assert.deepEqual(rows, [{ payload: 'keep me' }]);
  });

  it('a server that is not up: the address and how to start it', async () => {
    const port = await freePort();
    await assert.rejects(mysqlTarget.open({ ...raw(), port, password: '' }), (error: Error) => {
      assert.ok(error instanceof TargetError);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
      assert.match(error.message, /npm run services -- up mariadb/);
      return true;
    });
  });

  it('a database that does not exist is named', async () => {
    await assert.rejects(
      mysqlTarget.open({ ...raw(), database: 'sb_no_such_db', password: '' }),
      /database 'sb_no_such_db' does not exist on/,
    );
  });
});
