/**
 * The influxdb sink without a database: line protocol, column checks, the ini file, error decisions and messages,
 * and the request loop (batching, concurrency, retries with Retry-After, bounds) against a scripted HTTP server.
 * What the real servers store is tested in influxdb-servers.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpError, RequestTimedOutError } from '@influxdata/influxdb-client';
import { redact } from '../../src/core/redact.js';
import { ConfigError, RuntimeError } from '../../src/core/errors.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import { planColumns } from '../../src/sinks/influxdb/columns.js';
import { describeWriteError, isRetriable, parseRejection, retryAfterMs, type WriteTarget } from '../../src/sinks/influxdb/errors.js';
import { resolveConfig, influxdbSink, InfluxDBSink } from '../../src/sinks/influxdb/index.js';
import { parseIni } from '../../src/sinks/influxdb/ini-file.js';
import { CollisionCounter, CollisionError } from '../../src/sinks/influxdb/collisions.js';
import { compileLineProtocol, LineError, type LinePlan, nanoDigits } from '../../src/sinks/influxdb/line-protocol.js';
import { InfluxDBSinkOptions } from '../../src/sinks/influxdb/options.js';
import { writePath } from '../../src/sinks/influxdb/writer.js';
import { answer, ScriptedServer } from './influxdb-fixtures/scripted-server.js';
import { memoryLogger } from '../support/memory-logger.js';

const location = { file: 'jobs/x.yaml', path: 'sink' };
const T = Date.UTC(2026, 10, 23, 9, 41, 7, 123);

const input: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'host', type: 'string' },
  { name: 'region', type: 'string' },
  { name: 'value', type: 'double' },
  { name: 'count', type: 'long' },
  { name: 'label', type: 'string' },
  { name: 'ok', type: 'boolean' },
];

function plan(overrides: Partial<LinePlan> = {}): LinePlan {
  return {
    measurement: 'm',
    tags: ['region', 'host'],
    fields: [
      { name: 'value', kind: 'float' },
      { name: 'count', kind: 'integer' },
      { name: 'label', kind: 'string' },
      { name: 'ok', kind: 'boolean' },
    ],
    time: { column: 'timestamp', kind: 'timestamp' },
    precision: 'ms',
    ...overrides,
  };
}

/** Serializes each row as a batch of its own (no collisions). */
function single(p: LinePlan): (row: Row) => string | undefined {
  const serialize = compileLineProtocol(p);
  return (row) => serialize(row, 0, new CollisionCounter('append', nanoDigits(p), 0));
}

describe('influxdb sink: line protocol', () => {
  const line = single(plan());

  it('writes tags in key order, then typed fields in column order, then the row time', () => {
    assert.equal(
      line({ timestamp: new Date(T), host: 'web-1', region: 'eu', value: 1.5, count: 3, label: 'ok', ok: true }),
      `m,host=web-1,region=eu value=1.5,count=3i,label="ok",ok=true ${T}000000`,
    );
  });

  it('escapes measurement, tag keys and values, field keys and string fields', () => {
    const serialize = single({
      measurement: 'cpu load,x',
      tags: ['a b'],
      fields: [{ name: 'f=1', kind: 'string' }],
      time: { column: 't', kind: 'timestamp' },
      precision: 'ms',
    });
    assert.equal(
      serialize({ t: new Date(0), 'a b': 'x,y=z w', 'f=1': 'say "hi" \\ now\nnext' }),
      'cpu\\ load\\,x,a\\ b=x\\,y\\=z\\ w f\\=1="say \\"hi\\" \\\\ now\nnext" 0',
    );
    // Tab and carriage return need no escape (a backslash before them would be stored): InfluxDB 1.6 and 1.8 keep them.
    assert.equal(
      single({
        ...plan(),
        measurement: 'a\tb',
        tags: ['t\rk'],
        fields: [{ name: 'f\tk', kind: 'float' }],
        time: { column: 't', kind: 'timestamp' },
      })({
        t: new Date(0),
        't\rk': 'x\ty\rz',
        'f\tk': 1,
      }),
      'a\tb,t\rk=x\ty\rz f\tk=1 0',
    );
  });

  it('leaves out null tags, empty tag values and null fields; keeps empty string fields', () => {
    assert.equal(
      line({ timestamp: new Date(T), host: null, region: '', value: null, count: null, label: null, ok: false }),
      `m ok=false ${T}000000`,
    );
    assert.equal(
      line({ timestamp: new Date(T), host: 'h', region: 'r', value: null, count: 1, label: '', ok: null }),
      `m,host=h,region=r count=1i,label="" ${T}000000`,
    );
  });

  it('gives no line for a row without any field (InfluxDB has no point without a field)', () => {
    assert.equal(line({ timestamp: new Date(T), host: 'h', region: 'r', value: null, count: null, label: null, ok: null }), undefined);
  });

  it('writes numbers the way the servers read them back', () => {
    const serialize = single(
      plan({
        tags: [],
        fields: [
          { name: 'value', kind: 'float' },
          { name: 'count', kind: 'integer' },
        ],
      }),
    );
    const text = (value: number, count: number | bigint) => serialize({ timestamp: new Date(0), value, count });
    assert.equal(text(2, 2), 'm value=2,count=2i 0'); // no `i`: a float, even when whole
    assert.equal(text(-0.000001, -9007199254740993n), 'm value=-0.000001,count=-9007199254740993i 0');
    assert.equal(text(1e21, 0), 'm value=1e+21,count=0i 0'); // both servers accept exponents (checked on 1.6.7)
  });

  it('sends the row time in nanoseconds whatever the precision (s truncates), before 1970 too', () => {
    const at = (precision: LinePlan['precision'], ms: number) =>
      single(plan({ tags: [], fields: [{ name: 'value', kind: 'float' }], precision }))({ timestamp: new Date(ms), value: 1 });
    assert.equal(at('ns', T), `m value=1 ${T}000000`);
    assert.equal(at('us', T), `m value=1 ${T}000000`);
    assert.equal(at('ms', T), `m value=1 ${T}000000`);
    assert.equal(at('s', T), `m value=1 ${Math.floor(T / 1000)}000000000`);
    assert.equal(at('ns', -1500), 'm value=1 -1500000000');
    assert.equal(at('s', -1500), 'm value=1 -2000000000'); // floor, as the instant lies in second -2
    assert.equal(at('ms', 0), 'm value=1 0');
  });

  it('takes a long time column in precision units', () => {
    const longTime = (precision: LinePlan['precision']) =>
      single(plan({ tags: [], fields: [{ name: 'value', kind: 'float' }], time: { column: 'epoch', kind: 'long' }, precision }));
    assert.equal(longTime('s')({ epoch: 1700000000, value: 1 }), 'm value=1 1700000000000000000');
    assert.equal(longTime('us')({ epoch: 1700000000123456n, value: 1 }), 'm value=1 1700000000123456000');
    assert.equal(longTime('ns')({ epoch: 1700000000123456789n, value: 1 }), 'm value=1 1700000000123456789');
  });

  it('refuses what cannot become a point, naming the column', () => {
    const fails = (row: Row, column: string, message: RegExp) =>
      assert.throws(
        () => line(row),
        (e: unknown) => e instanceof LineError && e.column === column && message.test(e.message),
      );
    const base = { timestamp: new Date(T), host: 'h', region: 'r', value: 1, count: 1, label: 'l', ok: true };
    fails({ ...base, timestamp: null }, 'timestamp', /time column "timestamp" is null.*replays/);
    fails({ ...base, timestamp: new Date(NaN) }, 'timestamp', /expected a timestamp, found the timestamp Invalid Date/);
    fails({ ...base, count: 1.5 }, 'count', /expected an integer \(64-bit\), found number 1.5/);
    fails({ ...base, value: 'x' }, 'value', /expected a number, found string "x"/);
    fails({ ...base, host: 'ends with \\' }, 'host', /ends with a backslash/);
    // Line protocol has no NaN or infinity: refused (the sink hands the row to onBadRecord), never left out silently.
    fails({ ...base, value: NaN }, 'value', /NaN has no line-protocol value/);
    fails({ ...base, value: -Infinity }, 'value', /-Infinity has no line-protocol value/);
    fails({ ...base, host: 'two\nlines' }, 'host', /the tag value string "two\\nlines" contains a newline/);
  });

  it('writes a column of type any by the type of each value', () => {
    const serialize = single(plan({ tags: [], fields: [{ name: 'v', kind: 'dynamic' }] }));
    const of = (v: Row[string]) => serialize({ timestamp: new Date(0), v });

    assert.deepEqual([of(1.25), of(7n), of(true), of('a')], ['m v=1.25 0', 'm v=7i 0', 'm v=true 0', 'm v="a" 0']);
    assert.throws(() => of([1]), /a field value must be a number, boolean or string, found an array/);
  });
});

describe('influxdb sink: rows sharing a series and a time', () => {
  const batch = (p: LinePlan, rows: Row[], mode: 'append' | 'update' = 'append', batchId = 0) => {
    const serialize = compileLineProtocol(p);
    const collisions = new CollisionCounter(mode, nanoDigits(p), batchId);
    return rows.map((row, i) => serialize(row, i, collisions));
  };
  const p = plan({ tags: ['host'], fields: [{ name: 'value', kind: 'float' }] });

  it('writes the k-th row of one series and time k nanoseconds later; other series and times keep theirs', () => {
    const rows = [
      { timestamp: new Date(T), host: 'a', value: 1 },
      { timestamp: new Date(T), host: 'b', value: 2 },
      { timestamp: new Date(T), host: 'a', value: 3 },
      { timestamp: new Date(T + 1), host: 'a', value: 4 },
      { timestamp: new Date(T), host: 'a', value: 5 },
      { timestamp: new Date(T), host: null, value: 6 },
      { timestamp: new Date(T), host: '', value: 7 }, // an empty tag is left out: the same series as no tag
    ];
    assert.deepEqual(batch(p, rows), [
      `m,host=a value=1 ${T}000000`,
      `m,host=b value=2 ${T}000000`,
      `m,host=a value=3 ${T}000001`,
      `m,host=a value=4 ${T + 1}000000`,
      `m,host=a value=5 ${T}000002`,
      `m value=6 ${T}000000`,
      `m value=7 ${T}000001`,
    ]);
  });

  it('counts the same with many series at one time (past the short list) and after an out-of-order row', () => {
    const rows: Row[] = [];
    for (let round = 0; round < 2; round++) for (let h = 0; h < 40; h++) rows.push({ timestamp: new Date(T), host: `h${h}`, value: round });
    rows.push({ timestamp: new Date(T + 1), host: 'h0', value: 2 }, { timestamp: new Date(T), host: 'h0', value: 3 });
    const k = (line: string | undefined) => Number(line!.slice(-6));
    assert.deepEqual(batch(p, rows).map(k), [...Array(40).fill(0), ...Array(40).fill(1), 0, 2]);
  });

  it('gives the same times again for the same rows (a replayed batch), before 1970 and with precision s too', () => {
    const rows = [-1500, -1500, -1001].map((ms, i) => ({ timestamp: new Date(ms), host: 'h', value: i }));
    const seconds = plan({ tags: ['host'], fields: [{ name: 'value', kind: 'float' }], precision: 's' });
    assert.deepEqual(batch(seconds, rows), [
      'm,host=h value=0 -2000000000',
      'm,host=h value=1 -1999999999',
      'm,host=h value=2 -1999999998',
    ]);
    assert.deepEqual(batch(seconds, rows), batch(seconds, rows));
    assert.deepEqual(batch(p, rows), ['m,host=h value=0 -1500000000', 'm,host=h value=1 -1499999999', 'm,host=h value=2 -1001000000']);
  });

  it('puts the batch id (mod 100) above k in append mode, so consecutive batches do not share points; exact times otherwise', () => {
    const rows = [
      { timestamp: new Date(T), host: 'a', value: 1 },
      { timestamp: new Date(T), host: 'a', value: 2 },
    ];
    assert.deepEqual(batch(p, rows, 'append', 7), [`m,host=a value=1 ${T}070000`, `m,host=a value=2 ${T}070001`]);
    assert.deepEqual(batch(p, rows, 'append', 1234), [`m,host=a value=1 ${T}340000`, `m,host=a value=2 ${T}340001`]);
    assert.deepEqual(batch(p, rows.slice(0, 1), 'update', 1234), [`m,host=a value=1 ${T}000000`]);
    const seconds = plan({ tags: [], fields: [{ name: 'value', kind: 'float' }], precision: 's' });
    assert.deepEqual(batch(seconds, [{ timestamp: new Date(T), value: 1 }], 'append', 1234), [
      `m value=1 ${Math.floor(T / 1000)}234000000`,
    ]);
    const micros = plan({ tags: [], fields: [{ name: 'value', kind: 'float' }], time: { column: 'us', kind: 'long' }, precision: 'us' });
    assert.deepEqual(
      batch(
        micros,
        [
          { us: 5n, value: 1 },
          { us: 5n, value: 2 },
        ],
        'append',
        1234,
      ),
      ['m value=1 5400', 'm value=2 5401'],
    );
  });

  it('refuses rows it cannot keep apart: times already in nanoseconds, or update/complete output mode', () => {
    const nanos = plan({ tags: [], fields: [{ name: 'value', kind: 'float' }], time: { column: 'epoch', kind: 'long' }, precision: 'ns' });
    assert.throws(
      () =>
        batch(nanos, [
          { epoch: 5, value: 1 },
          { epoch: 6, value: 2 },
          { epoch: 5, value: 3 },
        ]),
      (e: unknown) =>
        e instanceof CollisionError &&
        e.rows[0] === 0 &&
        e.rows[1] === 2 &&
        /already in nanoseconds leave no room.*add a tag that tells such rows apart/.test(e.message),
    );
    const rows = [
      { timestamp: new Date(T), host: 'a', value: 1 },
      { timestamp: new Date(T), host: 'a', value: 2 },
    ];
    assert.throws(() => batch(p, rows, 'update'), /In update output mode each row replaces the point an earlier batch wrote/);
  });
});

describe('influxdb sink: columns', () => {
  const context = { input, location };
  const options = (o: Partial<InfluxDBSinkOptions>) =>
    InfluxDBSinkOptions.parse({ bucket: 'b', measurement: 'm', url: 'http://h:1', ...o });

  it('defaults the fields to every long or double column that is not a tag or the time', () => {
    assert.deepEqual(planColumns(options({ tags: ['host'] }), context).fields, [
      { name: 'value', kind: 'float' },
      { name: 'count', kind: 'integer' },
    ]);
    assert.deepEqual(
      planColumns(options({ tags: [], time: 'timestamp' }), {
        input: [
          { name: 'timestamp', type: 'timestamp' },
          { name: 'n', type: 'long' },
        ],
        location,
      }).fields,
      [{ name: 'n', kind: 'integer' }],
    );
  });

  it('reports every problem at once, with its path', () => {
    assert.throws(
      () =>
        planColumns(
          options({ tags: ['nope', 'value', 'host', 'host'], fields: ['value', 'ghost', 'timestamp'], time: 'timestamp' }),
          context,
        ),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((p) => [p.path, p.message.slice(0, 40)]),
          [
            ['sink.tags[0]', 'unknown column "nope"; the input has: ti'],
            ['sink.tags[3]', '"host" is listed twice'],
            ['sink.fields[0]', '"value" is already a tag; a column is ei'],
            ['sink.fields[1]', 'unknown column "ghost"; the input has: t'],
            ['sink.fields[2]', '"timestamp" is timestamp; a field is a d'],
          ],
        );
        return true;
      },
    );
  });

  it('needs a time column from the input, and says why', () => {
    assert.throws(
      () => planColumns(options({ time: 'ts' }), context),
      /sink.time: the input has no column "ts"; the input has: timestamp: timestamp.*replayed batch overwrites its own points/,
    );
    assert.throws(
      () => planColumns(options({ time: 'label' }), context),
      /"label" is string; the time column must be a timestamp \(or a long in ms\)/,
    );
  });

  it('says so when no numeric column is left for the default fields', () => {
    assert.throws(
      () => planColumns(options({ tags: ['value', 'count'] }), context),
      /sink.fields: no long or double column is left to write as a field .* list the fields, e.g. fields: \[value\]/,
    );
  });
});

describe('influxdb sink: configuration', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'streamlab-influx-ini-'))));
  after(async () => rm(dir, { recursive: true, force: true }));
  const build = (o: Record<string, unknown>) =>
    resolveConfig(InfluxDBSinkOptions.parse({ bucket: 'b', measurement: 'm', ...o }), { input, location });

  it("reads [influx2] of the course's influxdb.ini as the Python client does", () => {
    const sections = parseIni(
      '# written by the course\n[influx1]\nurl=http://old:8086\n\n[influx2]\nurl = http://localhost:8086\norg="my-org"\ntoken: abc==\n; comment\nTimeout=6000\n',
    );
    assert.deepEqual(Object.fromEntries(sections.get('influx2')!), {
      url: 'http://localhost:8086',
      org: 'my-org',
      token: 'abc==',
      timeout: '6000',
    });
  });

  it("takes url, org and token from the ini file, the job's own values first, and redacts the token", async () => {
    const ini = join(dir, 'influxdb.ini');
    await writeFile(ini, '[influx2]\nurl=http://ini-host:8086/\norg=ini-org\ntoken=ini-token-4f9a2c\n');
    const fromIni = build({ iniFile: ini });
    assert.deepEqual(fromIni.target, { api: 'v2', url: 'http://ini-host:8086', bucket: 'b', org: 'ini-org' });
    assert.equal(fromIni.token, 'ini-token-4f9a2c');
    assert.equal(redact('token ini-token-4f9a2c leaked'), 'token *** leaked');
    const mixed = build({ iniFile: ini, url: 'http://job:8086', org: 'job-org' });
    assert.deepEqual([mixed.target.url, mixed.target.org, mixed.token], ['http://job:8086', 'job-org', 'ini-token-4f9a2c']);
  });

  it('names the ini file and the section when they are missing', async () => {
    assert.throws(() => build({ iniFile: join(dir, 'absent.ini') }), /sink.iniFile: cannot read .*absent.ini: no such file/);
    const other = join(dir, 'other.ini');
    await writeFile(other, '[influx]\nurl=http://x\n');
    assert.throws(() => build({ iniFile: other }), /has no \[influx2\] section \(sections: \[influx\]\)/);
    const noUrl = join(dir, 'nourl.ini');
    await writeFile(noUrl, '[influx2]\norg=o\n');
    assert.throws(() => build({ iniFile: noUrl }), /sink.url: no url: neither the sink nor \[influx2\] in .*nourl.ini sets one/);
  });

  it('needs a url, and username:password as the token of api v1', () => {
    assert.throws(() => build({}), /sink.url: url is required/);
    assert.throws(
      () => build({ url: 'http://h:1', api: 'v1', token: 'apitoken' }),
      /sink.token: with api: v1 the token is username:password/,
    );
    assert.equal(build({ url: 'http://h:1', token: '' }).token, undefined, 'an empty token (unset variable) sends no Authorization');
    assert.equal(
      InfluxDBSinkOptions.safeParse({ url: 'localhost:8086', bucket: 'b', measurement: 'm' }).error?.issues[0].message,
      'expected an http:// or https:// URL such as http://localhost:8086',
    );
  });

  it('builds the write path of each API', () => {
    assert.equal(writePath({ api: 'v2', bucket: 'db/rp', org: 'o', precision: 'ns' }), '/api/v2/write?org=o&bucket=db%2Frp&precision=ns');
    assert.equal(writePath({ api: 'v2', bucket: 'b', precision: 'ms' }), '/api/v2/write?bucket=b&precision=ms');
    assert.equal(writePath({ api: 'v1', bucket: 'telegraf/autogen', precision: 'us' }), '/write?db=telegraf&rp=autogen&precision=u');
    assert.equal(writePath({ api: 'v1', bucket: 'telegraf', precision: 'ns' }), '/write?db=telegraf&precision=n');
  });
});

describe('influxdb sink: errors', () => {
  const v2: WriteTarget = { api: 'v2', url: 'http://db:8086', bucket: 'metrics', org: 'acme' };
  const v1: WriteTarget = { api: 'v1', url: 'http://db:8086', bucket: 'telegraf/week' };
  const http = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new HttpError(
      status,
      'x',
      typeof body === 'string' ? body : JSON.stringify(body),
      headers['retry-after'],
      typeof body === 'string' ? 'text/plain' : 'application/json',
      undefined,
      headers,
    );
  const network = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });

  it('retries overload, server errors, timeouts and dropped connections; nothing else', () => {
    for (const e of [
      http(429, {}),
      http(503, {}),
      http(500, { error: 'timeout' }),
      http(502, ''),
      http(504, ''),
      http(408, ''),
      new RequestTimedOutError(),
      network('ECONNREFUSED'),
      network('ECONNRESET'),
      network('EPIPE'),
    ]) {
      assert.equal(isRetriable(e), true, String((e as Error).message));
    }
    for (const e of [
      http(400, {}),
      http(401, {}),
      http(403, {}),
      http(404, {}),
      http(413, {}),
      http(500, { error: 'retention policy not found: week' }),
      network('ENOTFOUND'),
      new Error('x'),
    ]) {
      assert.equal(isRetriable(e), false, String((e as Error).message));
    }
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    assert.equal(retryAfterMs(http(429, {}, { 'retry-after': '3' })), 3000);
    assert.equal(retryAfterMs(http(503, {}, { 'retry-after': 'Mon, 23 Nov 2026 10:00:05 GMT' }), Date.UTC(2026, 10, 23, 10, 0, 0)), 5000);
    assert.equal(retryAfterMs(http(503, {})), undefined);
    assert.equal(retryAfterMs(network('ECONNREFUSED')), undefined);
  });

  it('says what to do about credentials, a missing bucket, database, retention policy or organization', () => {
    assert.match(
      describeWriteError(http(401, { code: 'unauthorized', message: 'unauthorized access' }), v2),
      /^InfluxDB at http:\/\/db:8086: the token is invalid or has no write permission on bucket "metrics" \(HTTP 401: unauthorized access\)/,
    );
    assert.match(
      describeWriteError(http(403, { error: 'x' }), v1),
      /the token is invalid or has no write permission on database "telegraf\/week".*username:password/,
    );
    assert.match(
      describeWriteError(http(404, { code: 'not found', message: 'bucket "metrics" not found' }), v2),
      /bucket "metrics" does not exist.*influx bucket create --name metrics --org acme/,
    );
    assert.match(
      describeWriteError(http(404, { error: 'database not found: "telegraf"' }), v1),
      /database "telegraf\/week" does not exist.*CREATE DATABASE "telegraf"/,
    );
    assert.match(
      describeWriteError(http(500, { error: 'retention policy not found: week' }), v1),
      /retention policy "week" does not exist in database "telegraf".*CREATE RETENTION POLICY "week" ON "telegraf"/,
    );
    assert.match(
      describeWriteError(http(404, { code: 'not found', message: 'organization name "acme" not found' }), v2),
      /organization "acme" does not exist/,
    );
    assert.match(describeWriteError(http(404, '404 page not found\n'), v2), /has no \/api\/v2\/write.*set `api: v1`/);
    assert.match(describeWriteError(network('ECONNREFUSED'), v2), /cannot reach InfluxDB at http:\/\/db:8086: connection refused/);
  });

  it('finds the rejected lines in the answers of InfluxDB 1.x (quoted lines) and 2.x (line number)', () => {
    const lines = ['m v=1 1', "m,t=it's v= 2", 'm v=3 3', 'm v=x 4'];
    const parse = parseRejection(
      http(400, {
        error: "partial write: unable to parse 'm,t=it's v= 2': missing field value\nunable to parse 'm v=x 4': invalid boolean dropped=0",
      }),
      lines,
    );
    assert.deepEqual(parse.indexes, [1, 3]);
    assert.deepEqual(parse.reasons, ['missing field value', 'invalid boolean']);
    const v2Answer = parseRejection(http(400, { code: 'invalid', message: 'unable to parse points: missing field value', line: 3 }), lines);
    assert.deepEqual(v2Answer.indexes, [2]);
    const conflict = parseRejection(
      http(400, {
        error:
          'partial write: field type conflict: input field "v" on measurement "m" is type integer, already exists as type float dropped=4',
      }),
      lines,
    );
    assert.equal(conflict.conflictField, 'v');
    assert.equal(conflict.dropped, 4);
    assert.deepEqual(conflict.reasons, ['field "v" is written as integer but the measurement already holds it as float']);
  });
});

/** A sink with fast, recorded backoff against a scripted server. */
function scriptedSink(url: string, options: Record<string, unknown> = {}) {
  const slept: number[] = [];
  const config = resolveConfig(
    InfluxDBSinkOptions.parse({ url, bucket: 'b', measurement: 'm', tags: ['host'], fields: ['value'], ...options }),
    { input, location },
  );
  const sink = new InfluxDBSink({ ...config, retry: { sleep: async (ms) => void slept.push(ms) } });
  const logger = memoryLogger();
  const open = () => sink.open({ queryId: 'q', queryName: 'q', outputMode: 'append', logger });
  return { sink, slept, open, logger };
}

const rows = (n: number, from = 0): Row[] =>
  Array.from({ length: n }, (_, i) => ({ timestamp: new Date(T + from + i), host: `h${(from + i) % 3}`, value: from + i }));

describe('influxdb sink: requests, retries and their bounds (scripted HTTP server)', () => {
  let server: ScriptedServer | undefined;
  after(async () => server?.close());
  const start = async (script: Parameters<typeof ScriptedServer.start>[0]) => {
    await server?.close();
    server = await ScriptedServer.start(script);
    return server;
  };

  it('splits a batch into requests of batchSize lines, at most `concurrency` in flight, and resolves after the last answer', async () => {
    const held: Array<() => void> = [];
    const s = await start((req, _i, res) => {
      if (req.body === '') return answer.noContent(res);
      held.push(() => answer.noContent(res));
    });
    const { sink, open } = scriptedSink(s.url, { batchSize: 10, concurrency: 3 });
    await open();
    let resolved = false;
    const done = sink.foreachBatch(rows(95), 0).then(() => (resolved = true));
    // Answer one request at a time; the batch may only resolve once all ten are answered.
    for (let answered = 0; answered < 10; answered++) {
      while (held.length === 0) await new Promise((r) => setTimeout(r, 5));
      assert.equal(resolved, false, `resolved after ${answered} of 10 answers`);
      held.shift()!();
    }
    await done;
    await sink.close();
    assert.equal(s.maxInFlight, 3);
    const bodies = s.writes.map((w) => w.body.split('\n'));
    assert.deepEqual(
      bodies.map((b) => b.length),
      [10, 10, 10, 10, 10, 10, 10, 10, 10, 5],
    );
    assert.deepEqual(
      bodies.flat().sort(),
      rows(95)
        .map((r) => `m,host=${r.host} value=${r.value} ${(r.timestamp as Date).getTime()}000000`)
        .sort(),
    );
    assert.equal(s.writes[0].path, '/api/v2/write?bucket=b&precision=ns');
  });

  it('waits as long as Retry-After says on 429 and 503, then goes on', async () => {
    const s = await start((req, _i, res) => {
      if (req.body === '') return answer.noContent(res);
      if (s.writes.length === 1) return answer.json(res, 429, { code: 'too many requests', message: 'slow down' }, { 'retry-after': '2' });
      if (s.writes.length === 2) return answer.json(res, 503, { message: 'unavailable' }, { 'retry-after': '7' });
      answer.noContent(res);
    });
    const { sink, open, slept, logger } = scriptedSink(s.url);
    await open();
    await sink.foreachBatch(rows(3), 4);
    assert.deepEqual(slept, [2000, 7000]);
    assert.equal(s.writes.length, 3);
    assert.equal(new Set(s.writes.map((w) => w.body)).size, 1, 'the same body each time');
    assert.match(logger.lines[0], /^warn: influxdb: batch 4 failed \(HTTP 429\) at http:\/\/127.0.0.1:\d+; retry 1\/10 in 2000 ms/);
    await sink.close();
  });

  it('gives up after maxRetries, so a dead server stops the job instead of holding rows forever', async () => {
    const s = await start((req, _i, res) => (req.body === '' ? answer.noContent(res) : answer.json(res, 503, { error: 'overloaded' })));
    const { sink, open, slept } = scriptedSink(s.url, { maxRetries: 3 });
    await open();
    await assert.rejects(sink.foreachBatch(rows(2), 7), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.match(
        error.message,
        /^InfluxDB at http:\/\/127.0.0.1:\d+ answered HTTP 503: overloaded, while writing batch 7 \(gave up after 4 attempts\)\. The batch is not committed: once the cause is fixed, restarting the job writes it again\.$/,
      );
      return true;
    });
    assert.equal(s.writes.length, 4);
    assert.equal(slept.length, 3);
    assert.ok(
      slept.every((ms, i) => ms >= 50 * 2 ** i && ms <= 100 * 2 ** i),
      `exponential backoff: ${slept}`,
    );
    await sink.close();
  });

  it('retries a refused connection, and a connection closed before the answer', async () => {
    const s = await start((req, _i, res) => {
      if (req.body === '') return answer.noContent(res);
      if (s.writes.length === 1) return void res.socket?.destroy();
      answer.noContent(res);
    });
    const { sink, open, slept } = scriptedSink(s.url);
    await open();
    await sink.foreachBatch(rows(2), 0);
    assert.equal(s.writes.length, 2);
    assert.equal(slept.length, 1);
    await sink.close();

    const url = s.url;
    await s.close();
    server = undefined;
    const refused = scriptedSink(url, { maxRetries: 2 });
    await assert.rejects(refused.open(), /cannot reach InfluxDB at http:\/\/127.0.0.1:\d+: connection refused .*is the server running/);
    assert.equal(refused.slept.length, 2, 'the connection check is retried too');
  });

  it('does not retry a rejection, and names the rows and lines the server refused', async () => {
    const s = await start((req, _i, res) => {
      if (req.body === '' || s.writes.length === 1) return answer.noContent(res);
      const second = req.body.split('\n')[1];
      answer.json(res, 400, { error: `partial write: unable to parse '${second}': invalid number dropped=0` });
    });
    const { sink, open, slept } = scriptedSink(s.url, { batchSize: 4, concurrency: 1 });
    await open();
    // Row 6 has no field: it is not sent, so line 2 of the second request is row 7.
    const batch = rows(8);
    batch[5] = { ...batch[5], value: null };
    await assert.rejects(sink.foreachBatch(batch, 3), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.match(
        error.message,
        /rejected 1 point\(s\) of batch 3 \(bucket "b", measurement "m"\): row 7 \(line 2 of the request\): invalid number\. The other points of the request were written/,
      );
      return true;
    });
    assert.deepEqual(slept, []);
    await sink.close();
  });

  it('sends the token (v2) or username:password (v1), and never puts it in a message', async () => {
    const s = await start((_req, _i, res) => answer.json(res, 401, { error: 'authorization failed' }));
    const v2 = scriptedSink(s.url, { token: 's3cr3t-token-value' });
    await assert.rejects(v2.open(), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.match(error.message, /the token is invalid or has no write permission on bucket "b" \(HTTP 401: authorization failed\)/);
      assert.ok(!error.message.includes('s3cr3t'), error.message);
      return true;
    });
    assert.equal(s.received[0].headers.authorization, 'Token s3cr3t-token-value');
    const v1 = scriptedSink(s.url, { api: 'v1', token: 'writer:pa55word' });
    await assert.rejects(v1.open(), (error: unknown) => !(error as Error).message.includes('pa55word'));
    assert.equal(s.received[1].headers.authorization, `Basic ${Buffer.from('writer:pa55word').toString('base64')}`);
    assert.equal(s.received[1].path, '/write?db=b&precision=n');
    await v2.sink.close();
    await v1.sink.close();
  });

  it('gzips bodies when asked', async () => {
    const s = await start((_req, _i, res) => answer.noContent(res));
    const { sink, open } = scriptedSink(s.url, { gzip: true });
    await open();
    await sink.foreachBatch(rows(100), 0);
    assert.equal(s.writes[0].headers['content-encoding'], 'gzip');
    assert.equal(s.writes[0].body.split('\n').length, 100);
    await sink.close();
  });

  it('warns about rows without any field instead of failing the batch', async () => {
    const s = await start((_req, _i, res) => answer.noContent(res));
    const { sink, open, logger } = scriptedSink(s.url);
    await open();
    const batch = rows(4);
    batch[1] = { ...batch[1], value: null };
    await sink.foreachBatch(batch, 2);
    assert.equal(s.writes[0].body.split('\n').length, 3);
    assert.deepEqual(logger.lines, [
      'warn: influxdb: batch 2: 1 row(s) without any non-null field were not written (row 2): a point needs at least one field',
    ]);
    await sink.close();
  });

  it('is built by the registry with its options checked', () => {
    const built = influxdbSink.create(
      InfluxDBSinkOptions.parse({ url: 'http://h:8086', bucket: 'b', measurement: 'sys_metrics', tags: ['host'] }),
      {
        input,
        location,
        queryName: 'q',
        compile: () => {
          throw new Error('unused');
        },
      },
    );
    assert.equal(
      built.description,
      'InfluxDBSink[v2 http://h:8086, bucket=b, measurement=sys_metrics, tags=host, fields=value,count, time=timestamp (ms)]',
    );
  });
});
