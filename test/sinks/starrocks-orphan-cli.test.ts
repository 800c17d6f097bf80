/**
 * The CLI with a starrocks sink against the Stream Load peer (StarRocks itself cannot run here), when a load's client
 * dies: killed with SIGKILL while its load waits for `100 Continue`, then restarted, every reading is there exactly
 * once, whether the BE rolled the load back (as StarRocks' BE does when the client goes away) or left it PREPARE (as
 * a BE that crashed does; the restart cancels it). A label the sink cannot cancel: Ctrl-C ends the wait at once,
 * and labelWaitTimeout ends it with an error naming label, state and FE. Tables without a key: duplicates would show.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import { loadLabel } from '../../src/sinks/starrocks/label.js';
import { reading } from '../../src/sources/sensor.js';
import { exited, startCli } from '../support/cli.js';
import { service } from '../support/services.js';
import { startStarRocksPeer, type StarRocksPeer } from '../support/starrocks-peer/index.js';

const mariadb = service('mariadb');
const DATABASE = 'streamlab';
const SENSORS = 2;
const INTERVAL_MS = 50;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeOrSkip('starrocks sink through the CLI: a load whose client died, a label left open', { skip: mariadb.skip }, () => {
  let peer: StarRocksPeer;
  let admin: mysql.Connection;
  const tables: string[] = [];
  let counter = 0;

  before(async () => {
    peer = await startStarRocksPeer({ mariadb: { host: mariadb.host, port: mariadb.port } });
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: DATABASE, timezone: 'Z' });
  });
  after(async () => {
    for (const t of tables) await admin?.query(`DROP TABLE IF EXISTS ${t}`);
    await admin?.end();
    await peer?.close();
  });

  /** A job file, its table and checkpoint in a fresh directory; `label(b)` is the label of batch b once it has run. */
  const setUp = async (sinkExtra = '') => {
    const n = ++counter;
    const name = `sr-orphan-cli-${process.pid}-${n}`;
    const table = `sr_orphan_cli_${process.pid}_${n}`;
    tables.push(table);
    await admin.query(`CREATE TABLE ${table} (sensor_id BIGINT NOT NULL, ts DATETIME(3) NOT NULL, temperature DOUBLE, humidity DOUBLE)`);
    const dir = makeTempDir('streamlab-sr-orphan-');
    const job = join(dir, 'job.yaml');
    writeFileSync(
      job,
      [
        `name: ${name}`,
        `source: { type: sensor, sensors: ${SENSORS}, interval: ${INTERVAL_MS}ms }`,
        'sink:',
        '  type: starrocks',
        `  feHost: ${peer.feHost}`,
        `  httpPort: ${peer.fePort}`,
        `  database: ${DATABASE}`,
        `  table: ${table}`,
        '  columns: { sensor_id: sensor_id, ts: timestamp, temperature: temperature, humidity: humidity }',
        '  maxRetries: 2',
        sinkExtra,
        'trigger: { processingTime: 100ms }',
        '',
      ].join('\n'),
    );
    const checkpoint = join(dir, 'checkpoint');
    const args = (...more: string[]) => ['run', job, '--checkpoint', checkpoint, ...more];
    const label = (batchId: number) => {
      const { id } = JSON.parse(readFileSync(join(checkpoint, 'metadata'), 'utf8')) as { id: string };
      return loadLabel(name, id, batchId, 0);
    };
    return { table, dir, checkpoint, args, label, fe: `http://${peer.feHost}:${peer.fePort}` };
  };

  /** Every reading exactly once: ticks 0..n-1 of every sensor, each what the sensor source computes. */
  const assertReadingsOnce = async (table: string, atLeastTicks: number) => {
    const [read] = await admin.query(`SELECT sensor_id, ts, temperature, humidity FROM ${table} ORDER BY ts, sensor_id`);
    const rows = (read as Array<{ sensor_id: number; ts: Date; temperature: number; humidity: number }>).map((r) => ({ ...r }));
    assert.ok(rows.length > 0, 'rows were loaded');
    const start = rows[0].ts.getTime();
    const ticks = rows.length / SENSORS;
    assert.ok(Number.isInteger(ticks) && ticks >= atLeastTicks, `${rows.length} rows`);
    const expected = [];
    for (let tick = 0; tick < ticks; tick++) {
      for (let s = 0; s < SENSORS; s++) expected.push({ sensor_id: s + 1, ts: new Date(start + tick * INTERVAL_MS), ...reading(tick, s) });
    }
    assert.deepEqual(rows, expected, 'no gap and no duplicate');
  };
  const statesOf = async (label: string) => (await peer.txns(DATABASE)).filter((t) => t.label === label).map((t) => t.state);

  for (const beCrashed of [false, true]) {
    const what = beCrashed
      ? 'the BE crashed too (the label stays PREPARE): the restart cancels it, says so, and loads the batch once'
      : 'the BE rolls the load back at once: the restart loads the batch once';
    it(`killed (SIGKILL) while its load waits for 100 Continue; ${what}`, async () => {
      const t = await setUp();
      const hold = peer.holdNextLoad();
      if (beCrashed) peer.orphanNextLoad();
      const first = await startCli(t.args(), t.dir, /starting/);
      const held = await hold.reached;
      first.child.kill('SIGKILL');
      await exited(first.child);
      hold.release();
      assert.equal(held, t.label(0));
      await delay(300);
      assert.deepEqual(await statesOf(held), [beCrashed ? 'PREPARE' : 'ABORTED'], 'what the killed run left');

      const second = await startCli(t.args('--max-batches', '3'), t.dir, /batch 2:/);
      assert.equal(await exited(second.child), 0, second.output());
      await assertReadingsOnce(t.table, 2);
      assert.deepEqual(await statesOf(held), ['ABORTED', 'VISIBLE'], 'the orphan aborted, then batch 0 loaded once');
      const cancelled = `label ${held} is PREPARE at FE ${t.fe}: an earlier attempt of this query left its load open; cancelling it`;
      assert.equal(second.output().includes(cancelled), beCrashed, second.output());
    });
  }

  it('Ctrl-C while it waits for a label it cannot cancel: it stops at once, batch 0 uncommitted, nothing loaded', async () => {
    const t = await setUp();
    const init = await startCli(t.args('--max-batches', '0'), t.dir, /starting/);
    assert.equal(await exited(init.child), 0, init.output());
    await peer.setLabel(DATABASE, t.label(0), 'PREPARED');
    const run = await startCli(t.args(), t.dir, /waiting for label/);
    assert.match(
      run.output(),
      new RegExp(
        `batch 0: waiting for label ${t.label(0)} \\(state PREPARED\\) at FE ${t.fe} to commit or abort; 0 s so far, at most 660 s`,
      ),
    );
    run.child.kill('SIGINT');
    const code = await Promise.race([exited(run.child), delay(15_000).then(() => 'still running 15 s after SIGINT')]);
    assert.equal(code, 0, run.output());
    assert.match(
      run.output(),
      new RegExp(
        `batch 0 not committed \\(it runs again on the next start\\): stopped while waiting for label ${t.label(0)} \\(state PREPARED\\) at FE ${t.fe}`,
      ),
    );
    assert.equal(existsSync(join(t.checkpoint, 'commits', '0')), false);
    const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM ${t.table}`);
    assert.equal(Number((rows as Array<{ n: number }>)[0].n), 0);
  });

  it('labelWaitTimeout: a label that stays open ends the job with an error naming label, state and FE', async () => {
    const t = await setUp('  labelWaitTimeout: 1s');
    const init = await startCli(t.args('--max-batches', '0'), t.dir, /starting/);
    assert.equal(await exited(init.child), 0, init.output());
    await peer.setLabel(DATABASE, t.label(0), 'PREPARED');
    const run = await startCli(t.args(), t.dir, /waiting for label/);
    assert.equal(await exited(run.child), 1, run.output());
    assert.match(
      run.output(),
      new RegExp(
        `batch 0: label ${t.label(0)} is still PREPARED at FE ${t.fe} after 1 s \\(labelWaitTimeout\\), and the FE did not cancel it`,
      ),
    );
    assert.doesNotMatch(run.output(), /retry \d+\/2/, 'not retried');
  });
});
