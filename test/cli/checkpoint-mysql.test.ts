/**
 * The case with a real server: a batch the MySQL sink wrote but the checkpoint did not commit (a crash between
 * the two), then `metadata` deleted. Before, the restart made up a new query id, the sink's commit table did not know
 * it, and the replayed batch was written a second time. Now the restart is refused; with metadata restored the replay
 * is recognised and the table holds every value once. The table has no primary key, so duplicates cannot hide.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import { cliPath } from '../support/cli.js';
import { service } from '../support/services.js';

const mariadb = service('mariadb');

describeOrSkip('checkpoint damage with the mysql sink (MariaDB)', { skip: mariadb.skip }, () => {
  const suffix = randomBytes(4).toString('hex');
  const table = `cp_safety_${suffix}`;
  const commitTable = `cp_safety_commits_${suffix}`;
  let admin: mysql.Connection;

  before(async () => {
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: 'streamlab' });
    await admin.query(`CREATE TABLE ${table} (timestamp DATETIME(3) NOT NULL, value BIGINT NOT NULL)`);
  });
  after(async () => {
    await admin.query(`DROP TABLE IF EXISTS ${table}`);
    await admin.query(`DROP TABLE IF EXISTS ${commitTable}`);
    await admin.end();
  });

  it('deleted metadata with a batch written but not committed: refused, nothing written twice', async () => {
    const dir = makeTempDir('streamlab-cp-mysql-');
    mkdirSync(join(dir, 'jobs'));
    writeFileSync(
      join(dir, 'jobs/j.yaml'),
      `name: j
source: { type: rate-micro-batch, rowsPerBatch: 5, startTimestamp: 1700000000000 }
sink: { type: mysql, host: ${mariadb.host}, port: ${mariadb.port}, database: streamlab, table: ${table}, commitTable: ${commitTable} }
`,
    );
    const run = (maxBatches: number) =>
      spawnSync(process.execPath, [cliPath, 'run', 'j', '--max-batches', String(maxBatches)], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });
    assert.equal(run(3).status, 0);
    const checkpoint = join(dir, '.checkpoints/j');
    const metadata = readFileSync(join(checkpoint, 'metadata'), 'utf8');
    rmSync(join(checkpoint, 'commits/2')); // the sink wrote batch 2, the process died before commits/2
    rmSync(join(checkpoint, 'metadata'));

    const refused = run(1);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /checkpoint \.checkpoints\/j has no metadata file, but its logs record batches 0 to 2/);

    writeFileSync(join(checkpoint, 'metadata'), metadata);
    const restored = run(1);
    assert.equal(restored.status, 0, restored.stderr);
    const [rows] = await admin.query(`SELECT timestamp, value FROM ${table} ORDER BY value, timestamp`);
    const expected = Array.from({ length: 15 }, (_, v) => ({
      timestamp: new Date(1_700_000_000_000 + Math.floor(v / 5) * 1000),
      value: v,
    }));
    assert.deepEqual(
      (rows as mysql.RowDataPacket[]).map((r) => ({ timestamp: new Date(r.timestamp), value: Number(r.value) })),
      expected,
      'values 0..14 once each, batch 2 not written again',
    );
  });
});
