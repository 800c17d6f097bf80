/**
 * Loads whose client died, against the Stream Load peer (StarRocks itself cannot run here; the peer follows its
 * source, see docs/starrocks.md): the peer aborts a load whose client went away before the body was complete, at any
 * moment; the FE aborts a load left PREPARE after its timeout and cancels one on `POST /api/{db}/{label}/_cancel`.
 * The sink cancels a label of its own query left open, waits (bounded, saying for what) for one it cannot cancel,
 * and stops at once on Ctrl-C while it waits. Rows go into MariaDB tables without a key: a batch loaded twice shows.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import { loadLabel, starrocksSink } from '../../src/sinks/starrocks/index.js';
import { service } from '../support/services.js';
import { memoryLogger } from '../support/memory-logger.js';
import { startStarRocksPeer, type StarRocksPeer } from '../support/starrocks-peer/index.js';

const mariadb = service('mariadb');
const DATABASE = 'streamlab';
const AUTH = `Basic ${Buffer.from('root:').toString('base64')}`;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeOrSkip('starrocks: loads whose client died (peer and sink)', { skip: mariadb.skip }, () => {
  let peer: StarRocksPeer;
  let admin: mysql.Connection;
  const tables: string[] = [];
  let counter = 0;

  before(async () => {
    peer = await startStarRocksPeer({ mariadb: { host: mariadb.host, port: mariadb.port } });
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: DATABASE });
  });
  after(async () => {
    for (const t of tables) await admin?.query(`DROP TABLE IF EXISTS ${t}`);
    await admin?.end();
    await peer?.close();
  });

  const createTable = async () => {
    const table = `sr_orphan_${process.pid}_${++counter}`;
    tables.push(table);
    await admin.query(`CREATE TABLE ${table} (k BIGINT NOT NULL)`);
    return table;
  };
  const readKeys = async (table: string) => {
    const [rows] = await admin.query(`SELECT k FROM ${table} ORDER BY k`);
    return (rows as Array<{ k: number }>).map((r) => Number(r.k));
  };
  const statesOf = async (label: string) => (await peer.txns(DATABASE)).filter((t) => t.label === label).map((t) => t.state);
  /** get_load_state through the FE, as a client sees it. */
  const loadState = async (label: string) => {
    const res = await fetch(`http://${peer.feHost}:${peer.fePort}/api/${DATABASE}/get_load_state?label=${label}`, {
      headers: { Authorization: AUTH },
    });
    return (await res.json()) as { state: string; reason?: string };
  };
  const cancel = async (label: string) => {
    const res = await fetch(`http://${peer.feHost}:${peer.fePort}/api/${DATABASE}/${label}/_cancel`, {
      method: 'POST',
      headers: { Authorization: AUTH },
    });
    return (await res.json()) as { status: string; msg: string };
  };
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await delay(50);
    }
    assert.fail(`not within 5 s: ${what}`);
  };
  /** A raw Stream Load to the BE: headers now, the body only when the test writes it. */
  const rawLoad = (table: string, label: string, contentLength: number) => {
    const req = http.request(`http://${peer.beAddress}/api/${DATABASE}/${table}/_stream_load`, {
      method: 'PUT',
      headers: {
        Authorization: AUTH,
        label,
        format: 'json',
        strip_outer_array: 'true',
        Expect: '100-continue',
        'Content-Length': contentLength,
      },
    });
    req.on('error', () => undefined); // the test destroys it
    req.flushHeaders();
    return req;
  };

  it('peer: a client that dies before sending the body is seen at once and its load aborted; the label loads again', async () => {
    const table = await createTable();
    const label = `orphan-before-${randomUUID()}`;
    const hold = peer.holdNextLoad();
    const req = rawLoad(table, label, 9);
    assert.equal(await hold.reached, label);
    req.destroy();
    await until('label ABORTED', async () => (await loadState(label)).state === 'ABORTED');
    hold.release();
    assert.match((await loadState(label)).reason ?? '', /Cancelled: the client went away before sending the body/);
    // A client that dies right after its headers, before the peer has even begun: the label never stays PREPARE.
    const early = `orphan-early-${randomUUID()}`;
    rawLoad(table, early, 9).destroy();
    await delay(300);
    assert.ok(['UNKNOWN', 'ABORTED'].includes((await loadState(early)).state));

    const again = rawLoad(table, label, 9);
    const answer = new Promise<string>((resolve) =>
      again.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      }),
    );
    again.on('continue', () => again.end('[{"k":7}]'));
    assert.equal((JSON.parse(await answer) as { Status: string }).Status, 'Success');
    assert.deepEqual(await readKeys(table), [7]);
    assert.deepEqual(await statesOf(label), ['ABORTED', 'VISIBLE']);
  });

  it('peer: a client that dies while sending the body: its load is aborted, nothing of it is stored', async () => {
    const table = await createTable();
    const label = `orphan-during-${randomUUID()}`;
    const body = `[${Array.from({ length: 100 }, (_, k) => `{"k":${k}}`).join(',')}]`;
    const req = rawLoad(table, label, body.length);
    await new Promise<void>((resolve) => req.on('continue', () => resolve()));
    req.write(body.slice(0, 200));
    const entry = () => peer.requests.find((r) => r.server === 'be' && r.headers.label === label);
    await until('200 body bytes at the BE', async () => (entry()?.bodyBytes ?? 0) >= 200);
    req.destroy();
    await until('label ABORTED', async () => (await loadState(label)).state === 'ABORTED');
    assert.match((await loadState(label)).reason ?? '', /before the body was complete/);
    assert.equal(entry()!.bodyBytes, 200, `the BE saw 200 of ${body.length} bytes`);
    assert.deepEqual(await readKeys(table), []);
  });

  it('peer FE: a load left PREPARE is aborted after its timeout; _cancel aborts one at once and refuses a finished or unknown label', async () => {
    const timed = `orphan-timeout-${randomUUID()}`;
    await peer.setLabel(DATABASE, timed, 'PREPARE', undefined, 1);
    assert.equal((await loadState(timed)).state, 'PREPARE');
    await delay(1300);
    assert.deepEqual(await loadState(timed), {
      state: 'ABORTED',
      reason: 'timeout by txn manager',
      status: 'OK',
      code: '0',
      msg: 'Success',
      message: 'OK',
    });

    const open = `orphan-cancel-${randomUUID()}`;
    await peer.setLabel(DATABASE, open, 'PREPARE');
    assert.equal((await cancel(open)).status, 'OK');
    assert.deepEqual(await loadState(open), {
      state: 'ABORTED',
      reason: 'user cancel',
      status: 'OK',
      code: '0',
      msg: 'Success',
      message: 'OK',
    });
    assert.equal((await cancel(open)).msg, `running transaction not found, label=${open}`);
    const done = `orphan-done-${randomUUID()}`;
    await peer.setLabel(DATABASE, done, 'VISIBLE');
    assert.equal((await cancel(done)).msg, `running transaction not found, label=${done}`);
    assert.equal((await loadState(done)).state, 'VISIBLE');
    assert.equal((await cancel(`nobody-${randomUUID()}`)).msg.startsWith('transaction not found, label=nobody-'), true);
  });

  it('sink: a label of its own left PREPARE is cancelled and the batch loaded once; one it cannot cancel (PREPARED) is waited for, saying so', async () => {
    const table = await createTable();
    const queryId = randomUUID();
    const logger = memoryLogger();
    const sink = starrocksSink.create(
      starrocksSink.options.parse({ feHost: peer.feHost, httpPort: peer.fePort, database: DATABASE, table, maxRetries: 3 }),
      {
        input: [{ name: 'k', type: 'long' }],
        location: { file: 'test.yaml', path: 'sink' },
        queryName: 'sr-orphan',
        compile: () => assert.fail(),
      },
    );
    await sink.open({ queryId, queryName: 'sr-orphan', outputMode: 'append', logger });
    const fe = `http://${peer.feHost}:${peer.fePort}`;

    // Batch 0: left PREPARE (as by a BE that crashed while the previous run loaded it): cancelled, loaded once.
    const label0 = loadLabel('sr-orphan', queryId, 0, 0);
    await peer.setLabel(DATABASE, label0, 'PREPARE');
    await sink.foreachBatch([{ k: 1 }], 0);
    assert.deepEqual(await readKeys(table), [1]);
    assert.deepEqual(await statesOf(label0), ['ABORTED', 'VISIBLE']);
    assert.ok(
      logger.lines.includes(
        `info: starrocks sink: batch 0: label ${label0} is PREPARE at FE ${fe}: an earlier attempt of this query left its load open; cancelling it to load the batch again`,
      ),
      logger.lines.join('\n'),
    );

    // Batch 1: PREPARED cannot be cancelled; it becomes VISIBLE while the sink waits: not loaded again.
    const label1 = loadLabel('sr-orphan', queryId, 1, 0);
    const held = await peer.setLabel(DATABASE, label1, 'PREPARED');
    setTimeout(() => void peer.setState(held, 'VISIBLE'), 400);
    await sink.foreachBatch([{ k: 2 }], 1);
    assert.deepEqual(await readKeys(table), [1], 'batch 1 was not loaded again');
    assert.ok(
      logger.lines.includes(
        `warn: starrocks sink: FE ${fe} did not cancel label ${label1}: running transaction not found, label=${label1}`,
      ),
    );
    assert.ok(
      logger.lines.some((l) =>
        l.startsWith(
          `info: starrocks sink: batch 1: waiting for label ${label1} (state PREPARED) at FE ${fe} to commit or abort; 0 s so far, at most 660 s (labelWaitTimeout); Ctrl-C stops`,
        ),
      ),
      logger.lines.join('\n'),
    );

    // Batch 2: PREPARED, then aborted by its owner: loaded again under the same label.
    const label2 = loadLabel('sr-orphan', queryId, 2, 0);
    const aborting = await peer.setLabel(DATABASE, label2, 'PREPARED');
    setTimeout(() => void peer.setState(aborting, 'ABORTED', 'rolled back by the test'), 400);
    await sink.foreachBatch([{ k: 3 }], 2);
    await sink.close();
    assert.deepEqual(await readKeys(table), [1, 3]);
    assert.deepEqual(await statesOf(label2), ['ABORTED', 'VISIBLE']);
  });
});
