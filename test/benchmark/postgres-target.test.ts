/** The postgres bench target against the real PostgreSQL: destinations, read-back, the bare COPY baseline, refusals. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type pg from 'pg';
import { TargetError, type TargetSession } from '../../src/benchmark/target.js';
import { postgresTarget } from '../../src/benchmark/targets/postgres.js';
import type { Row } from '../../src/core/row.js';
import { connectPostgres } from '../support/conformance/postgres.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { freePort } from '../support/private-server.js';
import { service } from '../support/services.js';
import { batchesOf, checksumOf, inOrder, makeRows, spec, writeThroughSink } from './sql-fixtures.js';

const postgres = service('postgres');
const name = (what: string) => `sb_pgtest_${what}_${process.pid}`;

describeOrSkip('postgres bench target against PostgreSQL', { skip: postgres.skip }, () => {
  let admin: pg.Client;
  let session: TargetSession;
  const raw = () => ({ host: postgres.host, port: postgres.port, user: 'postgres', database: 'streamlab' });
  const readAll = async (table: string): Promise<Row[]> =>
    (await admin.query(`SELECT * FROM "${table}" ORDER BY seq`)).rows.map((r: Row) => ({ ...r }));

  before(async () => {
    admin = await connectPostgres(postgres);
    session = await postgresTarget.open({ ...raw(), password: '', commitTable: 'streamlab_commits' });
  });
  after(async () => {
    for (const what of ['sink', 'baseline', 'foreign']) await admin?.query(`DROP TABLE IF EXISTS ${name(what)}`);
    await session?.close();
    await admin?.end();
  });

  it('names the server version', () => {
    assert.match(session.serverVersion ?? '', /^PostgreSQL \d+\.\d+$/);
  });

  it('the sink writes a fresh table that reads back exactly, and drop removes it and its commit rows', async () => {
    const rows = makeRows(0, 3000);
    const destination = await session.prepare(spec(name('sink')));
    assert.equal(await destination.count(), 0);
    await writeThroughSink('postgres', { ...raw(), ...destination.sinkOptions }, batchesOf(rows, 1000), 1);
    assert.deepEqual(await destination.readBack(), { rows: 3000, checksum: checksumOf(rows) });
    assert.equal(await destination.count(), 3000);
    assert.deepEqual(await readAll(name('sink')), inOrder(rows));
    const bytes = await destination.diskBytes();
    assert.ok(bytes !== undefined && bytes > 0, `diskBytes ${bytes}`);
    const commits = await admin.query('SELECT count(*) AS n FROM streamlab_commits WHERE table_name = $1', [`public.${name('sink')}`]);
    assert.equal(commits.rows[0].n, 3, 'one commit row per batch, the replay skipped');
    await destination.drop();
    assert.equal((await admin.query('SELECT to_regclass($1) AS t', [name('sink')])).rows[0].t, null);
    const left = await admin.query('SELECT count(*) AS n FROM streamlab_commits WHERE table_name = $1', [`public.${name('sink')}`]);
    assert.equal(left.rows[0].n, 0);
  });

  it('a leftover of the bench is dropped by prepare', async () => {
    const first = await session.prepare(spec(name('sink')));
    await writeThroughSink('postgres', { ...raw(), ...first.sinkOptions }, [makeRows(0, 10)]);
    const again = await session.prepare(spec(name('sink')));
    assert.deepEqual(await again.readBack(), { rows: 0, checksum: 0 });
    await again.drop();
  });

  it('the bare COPY baseline writes the same rows, every field equal', async () => {
    const rows = makeRows(0, 2500);
    const destination = await session.prepare(spec(name('baseline')));
    assert.equal(session.baseline?.name, 'bare COPY FROM STDIN (text)');
    await session.baseline!.write(batchesOf(rows, 1000), destination, spec(name('baseline')));
    assert.deepEqual(await destination.readBack(), { rows: 2500, checksum: checksumOf(rows) });
    assert.deepEqual(await readAll(name('baseline')), inOrder(rows));
    await destination.drop();
  });

  it('refuses a table of the same name with another schema, naming it and the server, and leaves it alone', async () => {
    await admin.query(`CREATE TABLE ${name('foreign')} (id bigint PRIMARY KEY, payload text)`);
    await admin.query(`INSERT INTO ${name('foreign')} VALUES (1, 'keep me')`);
    await assert.rejects(session.prepare(spec(name('foreign'))), (error: Error) => {
      assert.ok(error instanceof TargetError);
      assert.match(
        error.message,
        new RegExp(`public\\.${name('foreign')} on ${postgres.address} exists with other columns.*not the bench's to drop`),
      );
      return true;
    });
    assert.deepEqual((await admin.query(`SELECT payload FROM ${name('foreign')}`)).rows, [{ payload: 'keep me' }]);
  });

  it('a server that is not up: the address and how to start it', async () => {
    const port = await freePort();
    await assert.rejects(postgresTarget.open({ ...raw(), port, password: '' }), (error: Error) => {
      assert.ok(error instanceof TargetError);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\).*npm run services -- up postgres`));
      return true;
    });
  });
});
