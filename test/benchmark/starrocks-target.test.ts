import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import { TargetError, type TargetSession } from '../../src/benchmark/target.js';
import { starrocksTarget } from '../../src/benchmark/targets/starrocks.js';
import { service } from '../support/services.js';
import { startStarRocksPeer, type StarRocksPeer } from '../support/starrocks-peer/index.js';
import { batchesOf, checksumOf, inOrder, makeRows, readAll, spec, writeThroughSink } from './sql-fixtures.js';

const mariadb = service('mariadb');
const DATABASE = 'streamlab';
const name = (what: string) => `sb_srtest_${what}_${process.pid}`;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describeOrSkip('starrocks bench target against the Stream Load peer', { skip: mariadb.skip }, () => {
  let admin: mysql.Connection;
  let peer: StarRocksPeer;
  let session: TargetSession;
  // The profile of the services setup: Stream Load to the peer's FE, the MySQL port at the MariaDB holding its rows.
  const raw = () => ({ feHost: peer.feHost, httpPort: peer.fePort, mysqlPort: mariadb.port, user: 'root', database: DATABASE });

  before(async () => {
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: DATABASE, timezone: 'Z' });
    peer = await startStarRocksPeer({ mariadb: { host: mariadb.host, port: mariadb.port } });
    session = await starrocksTarget.open({ ...raw(), password: '' });
  });
  after(async () => {
    for (const what of ['sink', 'baseline', 'foreign']) await admin?.query(`DROP TABLE IF EXISTS ${name(what)}`);
    await session?.close();
    await peer?.close();
    await admin?.end();
  });

  it('says what the server is: the peer over MariaDB', () => {
    assert.match(session.serverVersion ?? '', /^StarRocks Stream Load test peer over MariaDB \d+\.\d+\.\d+$/);
    assert.match(session.note ?? '', /not a StarRocks server/);
  });

  it('the sink loads a fresh table over Stream Load that reads back exactly; drop removes it', async () => {
    const rows = makeRows(0, 3000);
    const destination = await session.prepare(spec(name('sink')));
    assert.equal(await destination.count(), 0);
    const before = peer.requests.length;
    await writeThroughSink('starrocks', { ...raw(), ...destination.sinkOptions }, batchesOf(rows, 1000), 2);
    const loads = peer.requests.slice(before).filter((r) => r.server === 'be' && r.method === 'PUT');
    assert.equal(loads.length, 4, 'three loads and the replay (answered Label Already Exists)');
    assert.ok(
      loads.every((r) => String(r.headers.label).startsWith(`${name('sink')}-`)),
      'labels start with the table name',
    );
    assert.deepEqual(await destination.readBack(), { rows: 3000, checksum: checksumOf(rows) });
    assert.equal(await destination.count(), 3000);
    assert.deepEqual(await readAll(admin, DATABASE, name('sink')), inOrder(rows));
    assert.equal(await destination.diskBytes(), undefined, "MariaDB's bytes are not StarRocks'");
    await destination.drop();
    const [tables] = await admin.query('SHOW TABLES LIKE ?', [name('sink')]);
    assert.deepEqual(tables, []);
  });

  it('the bare Stream Load PUT baseline loads the same rows, every field equal', async () => {
    const rows = makeRows(0, 2500);
    const destination = await session.prepare(spec(name('baseline')));
    assert.equal(session.baseline?.name, 'bare Stream Load PUT');
    await session.baseline!.write(batchesOf(rows, 1000), destination, spec(name('baseline')));
    assert.deepEqual(await destination.readBack(), { rows: 2500, checksum: checksumOf(rows) });
    assert.deepEqual(await readAll(admin, DATABASE, name('baseline')), inOrder(rows));
    await destination.drop();
  });

  it('a leftover of the bench is dropped by prepare', async () => {
    const first = await session.prepare(spec(name('sink')));
    await writeThroughSink('starrocks', { ...raw(), ...first.sinkOptions }, [makeRows(0, 10)]);
    const again = await session.prepare(spec(name('sink')));
    assert.deepEqual(await again.readBack(), { rows: 0, checksum: 0 });
    await again.drop();
  });

  it('refuses a table of the same name with another schema and leaves it alone', async () => {
    await admin.query(`CREATE TABLE ${name('foreign')} (id BIGINT, payload TEXT)`);
    await admin.query(`INSERT INTO ${name('foreign')} VALUES (1, 'keep me')`);
    await assert.rejects(session.prepare(spec(name('foreign'))), (error: Error) => {
      assert.ok(error instanceof TargetError);
      assert.match(error.message, new RegExp(`streamlab\\.${name('foreign')} on ${mariadb.address} exists with other columns`));
      return true;
    });
    const [rows] = await admin.query(`SELECT payload FROM ${name('foreign')}`);
    assert.deepEqual(rows, [{ payload: 'keep me' }]);
  });

  it('an FE that is not up: its address and how to start the peer', async () => {
    const port = await freePort();
    await assert.rejects(starrocksTarget.open({ ...raw(), httpPort: port, password: '' }), (error: Error) => {
      assert.ok(error instanceof TargetError);
      assert.match(error.message, new RegExp(`StarRocks FE at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
      assert.match(error.message, /npm run services -- up starrocks-peer/);
      return true;
    });
  });

  it('a MySQL port that is not up: its address and what to start', async () => {
    const port = await freePort();
    await assert.rejects(starrocksTarget.open({ ...raw(), mysqlPort: port, password: '' }), (error: Error) => {
      assert.ok(error instanceof TargetError);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
      assert.match(error.message, /npm run services -- up mariadb/);
      return true;
    });
  });

  it('a wrong password at the FE is refused by name', async () => {
    const locked = await startStarRocksPeer({ mariadb: { host: mariadb.host, port: mariadb.port }, users: { root: 'secret' } });
    try {
      await assert.rejects(
        starrocksTarget.open({ ...raw(), httpPort: locked.fePort, password: '' }),
        new RegExp(`the StarRocks FE at http://127\\.0\\.0\\.1:${locked.fePort} refused user 'root'`),
      );
    } finally {
      await locked.close();
    }
  });
});
