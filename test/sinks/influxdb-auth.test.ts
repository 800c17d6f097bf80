/**
 * Authentication errors from real servers. The shared servers run without auth (1.8 then accepts any token), so
 * each suite starts a private InfluxDB with `auth-enabled = true` (same binary and config as `npm run services`,
 * own temp dir and ports, stopped by its PID at the end): 1.8.10 for `api: v2` (token `username:password`, as 1.8's
 * compatibility API takes it), 1.6.7 for `api: v1` (HTTP basic auth). A wrong password must give 401 and a user
 * without WRITE 403, both with the workshop's message and without the secret in it; the right user writes.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { RuntimeError } from '../../src/core/errors.js';
import type { Schema } from '../../src/core/schema.js';
import { InfluxDBSink, resolveConfig } from '../../src/sinks/influxdb/index.js';
import { InfluxDBSinkOptions } from '../../src/sinks/influxdb/options.js';
import { service } from '../support/services.js';
import { PrivateInfluxd, type Flavor } from './influxdb-fixtures/private-influxd.js';

const input: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'host', type: 'string' },
  { name: 'value', type: 'double' },
];
const openContext = { queryId: 'q', queryName: 'q', outputMode: 'append' as const, logger: { info() {}, warn() {}, error() {} } };
const admin = { user: 'admin', password: 'admin-pw-5b1e' };
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

for (const [flavor, api] of [
  ['influxdb18', 'v2'],
  ['influxdb1', 'v1'],
] as Array<[Flavor, 'v1' | 'v2']>) {
  // The private server needs the binary `npm run services -- up` installs; without it the suite is skipped like the
  // shared server's (and fails under CI=true, where the shared server must be up).
  const shared = service(flavor);

  describeOrSkip(`influxdb sink, api ${api}, against a private ${flavor} with auth-enabled`, { skip: shared.skip }, () => {
    let server: PrivateInfluxd;
    const sinks: InfluxDBSink[] = [];
    const sink = (token: string) => {
      const created = new InfluxDBSink(
        resolveConfig(
          InfluxDBSinkOptions.parse({ api, url: server.url, bucket: 'secured', token, measurement: 'auth', tags: ['host'], maxRetries: 0 }),
          {
            input,
            location: { path: 'sink' },
          },
        ),
      );
      sinks.push(created);
      return created;
    };

    before(async () => {
      if (!shared.skip) void shared.address; // under CI=true without the server, fail here
      server = await PrivateInfluxd.create(flavor, { auth: true });
      // With auth on and no user yet, InfluxDB accepts exactly one statement without credentials: the first admin.
      await server.query(`CREATE USER ${admin.user} WITH PASSWORD '${admin.password}' WITH ALL PRIVILEGES`);
      for (const q of [
        'CREATE DATABASE secured',
        "CREATE USER writer WITH PASSWORD 'writer-pw-73ac'",
        'GRANT WRITE ON secured TO writer',
        "CREATE USER reader WITH PASSWORD 'reader-pw-0d42'",
        'GRANT READ ON secured TO reader',
      ]) {
        await server.query(q, admin);
      }
    });

    after(async () => {
      for (const s of sinks) await s.close();
      await server?.destroy();
    });

    const noun = api === 'v1' ? 'database' : 'bucket';

    it('a wrong password: 401, "token is invalid or has no write permission", no secret in the message', async () => {
      await assert.rejects(sink('writer:wrong-pw-9f3e').open(openContext), (error: unknown) => {
        assert.ok(error instanceof RuntimeError);
        assert.match(
          error.message,
          new RegExp(
            `^InfluxDB at ${server.url}: the token is invalid or has no write permission on ${noun} "secured" \\(HTTP 401: authorization failed\\)\\. Check INFLUX_TOKEN`,
          ),
        );
        assert.ok(!error.message.includes('wrong-pw-9f3e') && !JSON.stringify(error).includes('wrong-pw-9f3e'), error.message);
        return true;
      });
    });

    it('a user without WRITE on the database: 403, the same message', async () => {
      await assert.rejects(sink('reader:reader-pw-0d42').open(openContext), (error: unknown) => {
        assert.ok(error instanceof RuntimeError);
        assert.match(
          error.message,
          new RegExp(
            `the token is invalid or has no write permission on ${noun} "secured" \\(HTTP 403: .*not authorized to write to database`,
          ),
        );
        assert.ok(!error.message.includes('reader-pw-0d42'), error.message);
        return true;
      });
    });

    it('the user with WRITE writes, and the points are there', async () => {
      const writer = sink('writer:writer-pw-73ac');
      await writer.open(openContext);
      await writer.foreachBatch(
        [
          { timestamp: new Date(T0), host: 'a', value: 0.5 },
          { timestamp: new Date(T0 + 1), host: 'b', value: -1 },
        ],
        0,
      );
      const json = await server.query('SELECT "host", "value" FROM secured.autogen.auth', admin);
      assert.deepEqual(json.results[0].series?.[0].values, [
        [T0, 'a', 0.5],
        [T0 + 1, 'b', -1],
      ]);
    });
  });
}
