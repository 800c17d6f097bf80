/** The starrocks sink's pieces that need no server: labels, DDL, bodies, what is retried, the HTTP client's edges. */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { encodeBodies } from '../../src/sinks/starrocks/body.js';
import { duplicateKeyTableSql, sensorTableSql } from '../../src/sinks/starrocks/ddl.js';
import { HttpTransportError, request } from '../../src/sinks/starrocks/http.js';
import { labelIdentifier } from '../../src/sinks/starrocks/insert-sink.js';
import { labelPrefixOf, loadLabel } from '../../src/sinks/starrocks/label.js';
import { LABEL_PATTERN } from '../../src/sinks/starrocks/options.js';
import { isRetriableFailure, outcomeOf } from '../../src/sinks/starrocks/outcome.js';
import { starrocksSink } from '../../src/sinks/starrocks/index.js';
import type { ColumnBinding } from '../../src/connectors/mysql/columns.js';

describe('starrocks sink: labels', () => {
  it('are a pure function of (prefix, query id, batch, part), and StarRocks accepts them', () => {
    const label = loadLabel('sensor-starrocks', 'b3f1c7e4-0000-4000-8000-000000000001', 42, 0);
    assert.match(label, /^sensor-starrocks-[0-9a-f]{8}-42-0$/);
    assert.equal(loadLabel('sensor-starrocks', 'b3f1c7e4-0000-4000-8000-000000000001', 42, 0), label);
    assert.notEqual(loadLabel('sensor-starrocks', 'another query id', 42, 0), label, 'a new checkpoint (new query id) gets new labels');
    assert.match(label, LABEL_PATTERN);
    assert.equal(labelIdentifier(label), `\`${label}\``);
  });

  it('job names become label prefixes without characters StarRocks refuses', () => {
    assert.equal(labelPrefixOf('rate.even v2'), 'rate_even_v2');
    assert.equal(labelPrefixOf('x'.repeat(100)).length, 60);
    assert.match(
      loadLabel(labelPrefixOf('x'.repeat(100)), 'q', 9_007_199_254_740_991, 99),
      LABEL_PATTERN,
      'the longest label still fits in 128',
    );
    assert.throws(() => labelIdentifier('a`b'), /not a StarRocks label/);
  });
});

describe('starrocks sink: DDL helper', () => {
  it('the sensor table: DUPLICATE KEY, DISTRIBUTED BY HASH, replication_num 1', () => {
    assert.equal(
      sensorTableSql(),
      [
        'CREATE TABLE IF NOT EXISTS `realtime_demo`.`sensor_data` (',
        '  `sensor_id` BIGINT,',
        '  `ts` DATETIME,',
        '  `temperature` DOUBLE,',
        '  `humidity` DOUBLE',
        ')',
        'DUPLICATE KEY(`sensor_id`, `ts`)',
        'DISTRIBUTED BY HASH(`sensor_id`)',
        'PROPERTIES ("replication_num" = "1")',
      ].join('\n'),
    );
  });

  it('moves key columns to the front in key order, as StarRocks requires; names unknown key columns', () => {
    const columns: ColumnBinding[] = [
      { table: 'v', source: 'v', type: 'double' },
      { table: 'tags', source: 'tags', type: 'array' },
      { table: 'ok', source: 'ok', type: 'boolean' },
      { table: 'ts', source: 'ts', type: 'timestamp' },
      { table: 'id', source: 'id', type: 'string' },
    ];
    const sql = duplicateKeyTableSql({
      database: 'd',
      table: 't',
      columns,
      duplicateKey: ['id', 'ts'],
      distributedBy: ['id'],
      buckets: 8,
      replicationNum: 3,
    });
    assert.equal(
      sql.split('\n').slice(1, 6).join('|'),
      '  `id` VARCHAR(65533),|  `ts` DATETIME,|  `v` DOUBLE,|  `tags` JSON,|  `ok` BOOLEAN',
    );
    assert.match(sql, /DISTRIBUTED BY HASH\(`id`\) BUCKETS 8\nPROPERTIES \("replication_num" = "3"\)$/);
    assert.throws(
      () => duplicateKeyTableSql({ database: 'd', table: 't', columns, duplicateKey: ['nope'], distributedBy: ['id'], replicationNum: 1 }),
      /not columns of the table: nope/,
    );
  });

  it('the `create` option checks its columns at build time', () => {
    assert.throws(
      () =>
        starrocksSink.create(
          starrocksSink.options.parse({ database: 'd', table: 't', create: { duplicateKey: ['a', 'zz'], distributedBy: ['yy'] } }),
          {
            input: [{ name: 'a', type: 'long' }],
            location: { file: 'job.yaml', path: 'sink' },
            queryName: 'q',
            compile: () => assert.fail(),
          },
        ),
      /job\.yaml sink\.create\.duplicateKey: "zz": not a column of the table; its columns are: a\njob\.yaml sink\.create\.distributedBy: "yy": not a column/,
    );
  });
});

describe('starrocks sink: bodies', () => {
  const columns: ColumnBinding[] = [
    { table: 'id', source: 'k', type: 'long' },
    { table: 'ts', source: 't', type: 'timestamp' },
    { table: 'name', source: 'n', type: 'string' },
    { table: 'meta', source: 'm', type: 'struct' },
  ];

  it('json: table column names as keys, UTC DATETIME text, exact bigints, nested JSON', () => {
    const [body] = encodeBodies(
      [
        { k: 12345678901234567890n, t: new Date('2026-01-02T03:04:05.006Z'), n: 'a"b\\c\n', m: { x: [1, null] } },
        { k: 1, t: null, n: null, m: null },
      ],
      columns,
      'json',
      1 << 20,
    );
    assert.equal(
      body.toString(),
      '[{"id":12345678901234567890,"ts":"2026-01-02 03:04:05.006","name":"a\\"b\\\\c\\n","meta":{"x":[1,null]}},{"id":1,"ts":null,"name":null,"meta":null}]',
    );
  });

  it('csv: tab-separated, \\N for null; a value csv cannot carry is refused with its row and column', () => {
    const [body] = encodeBodies(
      [
        { k: 1, t: new Date(0), n: 'plain', m: { a: 1 } },
        { k: 2, t: null, n: null, m: null },
      ],
      columns,
      'csv',
      1 << 20,
    );
    assert.equal(body.toString(), '1\t1970-01-01 00:00:00.000\tplain\t{"a":1}\n2\t\\N\t\\N\t\\N\n');
    assert.throws(
      () =>
        encodeBodies(
          [
            { k: 1, n: 'ok' },
            { k: 2, n: 'tab\there' },
          ],
          columns,
          'csv',
          1 << 20,
        ),
      /row 1, column name: csv cannot carry tabs, line breaks or the text \\N; use format: json/,
    );
    assert.throws(() => encodeBodies([{ k: Number.NaN }], columns, 'json', 1 << 20), /row 0, column id: NaN has no StarRocks value/);
    assert.throws(
      () => encodeBodies([{ k: 1, t: new Date(Date.UTC(10000, 0, 1)) }], columns, 'json', 1 << 20),
      /row 0, column ts: year 10000 is outside DATETIME's range/,
    );
  });

  it('splits at maxBytes (counting UTF-8 bytes), the same way every time', () => {
    const rows = Array.from({ length: 100 }, (_, k) => ({ k, n: 'é'.repeat(20) }));
    const bodies = encodeBodies(rows, columns, 'json', 1000);
    assert.ok(bodies.length > 1 && bodies.every((b) => b.length <= 1000), bodies.map((b) => b.length).join());
    assert.deepEqual(
      bodies.flatMap((b) => JSON.parse(b.toString()).map((r: { id: number }) => r.id)),
      rows.map((r) => r.k),
    );
    assert.deepEqual(encodeBodies(rows, columns, 'json', 1000), bodies);
  });
});

describe('starrocks sink: what is retried', () => {
  it('statuses: Success and Publish Timeout are loaded, Label Already Exists is settled, the rest failed', () => {
    assert.deepEqual(
      ['Success', 'Publish Timeout', 'Label Already Exists', 'Fail', 'Anything'].map((Status) => outcomeOf({ Status })),
      ['loaded', 'loaded', 'label-exists', 'failed', 'failed'],
    );
  });

  it('failures that the same request would meet again are not retried; busy servers and unknown messages are', () => {
    const permanent = [
      'too many filtered rows',
      'no valid Basic authorization',
      'Access denied for root@127.0.0.1',
      'unknown database, database=x',
      'unknown table "d.t"',
      'class com.starrocks.common.DdlException: There is no 100-continue header',
      'unknown data format, format=xml',
      'body size 200 exceed limit: 100',
    ];
    const transient = [
      'Stream Load exceed http cuncurrent limit 0, please try again later',
      'Service is shutting down, please retry later!',
      'timeout by txn manager',
      'Cancelled',
      'some message nobody has seen before',
    ];
    assert.deepEqual(permanent.filter(isRetriableFailure), []);
    assert.deepEqual(
      transient.filter((m) => !isRetriableFailure(m)),
      [],
    );
  });
});

describe('starrocks sink: the HTTP client', () => {
  let server: http.Server;
  let base: string;
  let handler: (req: http.IncomingMessage, res: http.ServerResponse, expect: boolean) => void;
  before(async () => {
    server = http.createServer((req, res) => handler(req, res, false));
    server.on('checkContinue', (req, res) => handler(req, res, true));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const readBody = (req: http.IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c));
      req.on('end', () => resolve(text));
    });

  it('a server that never says 100 Continue (and has not answered) gets the body after expectContinueMs, as curl does', async () => {
    handler = async (req, res) => {
      const text = await readBody(req); // reads without sending 100 Continue
      res.end(`got ${text}`);
    };
    const answer = await request(`${base}/x`, {
      method: 'PUT',
      headers: {},
      body: Buffer.from('payload'),
      timeoutMs: 5000,
      expectContinueMs: 50,
    });
    assert.deepEqual([answer.status, answer.body, answer.bodySent], [200, 'got payload', true]);
  });

  it('a redirect loop ends with an error naming it; a Location-less redirect too', async () => {
    handler = (_req, res) => {
      res.writeHead(307, { Location: '/again', Connection: 'close' });
      res.end();
    };
    await assert.rejects(
      request(`${base}/x`, { method: 'PUT', headers: {}, body: Buffer.from('b'), timeoutMs: 5000 }),
      (e: Error) => e instanceof HttpTransportError && /more than 3 redirects/.test(e.message),
    );
    handler = (_req, res) => {
      res.writeHead(307, { Connection: 'close' });
      res.end();
    };
    await assert.rejects(request(`${base}/x`, { method: 'GET', headers: {}, timeoutMs: 5000 }), /HTTP 307 .* without a Location header/);
  });

  it('no answer within timeoutMs is a transport error (retried by the sink)', async () => {
    handler = () => undefined;
    await assert.rejects(
      request(`${base}/slow`, { method: 'GET', headers: {}, timeoutMs: 100 }),
      (e: Error) => e instanceof HttpTransportError && /no answer within 100 ms/.test(e.message),
    );
  });
});
