/**
 * Where the real servers are, for integration tests (see docs/servers.md, "Running against real servers").
 *
 * `npm run services -- up` starts them and writes `.services/env`; an env var of the same name
 * (`STREAMLAB_TEST_MARIADB=127.0.0.1:3306`) overrides the file, e.g. to point a test at a Docker container.
 *
 * Usage, one suite per server it needs:
 *
 *   import { describeOrSkip } from './describe-or-skip.js';
 *   import { service } from './services.js';
 *
 *   const mariadb = service('mariadb');
 *   describeOrSkip('mysql sink against MariaDB', { skip: mariadb.skip }, () => {
 *     before(async () => {
 *       conn = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: 'streamlab' });
 *     });
 *     ...
 *   });
 *
 * `service(name)` returns `{ name, host, port, address, skip }`:
 *   - the server is listed:               skip === false; host, port and address ('127.0.0.1:3307') are set.
 *   - it is missing and CI is not 'true': skip is a message ("mariadb is not running: npm run services -- up
 *     mariadb"), so `describeOrSkip(..., { skip })` skips the suite (node counts it as skipped), and the run's last
 *     lines list it.
 *   - it is missing and CI=true:          skip === false, and reading host, port or address throws that message,
 *     so the suite FAILS where it first connects (usually in `before`), instead of passing without testing.
 *
 * What `up` sets up on each: mariadb (root, no password, database `streamlab`), postgres (user `postgres`, trust,
 * database `streamlab`), influxdb1 (1.x API, database `streamlab`), influxdb18 (2.x API at http://address, bucket
 * `streamlab` or `streamlab/autogen`, any token), cassandra (datacenter `datacenter1`, keyspace `streamlab`),
 * kafka (one broker, topics auto-created, replication factor 1), starrocks-peer (the Stream Load test peer over mariadb:
 * its FE address).
 *
 * This module reads nothing at import time: node's runner also loads it as a file of its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ServiceName = 'mariadb' | 'postgres' | 'influxdb1' | 'influxdb18' | 'cassandra' | 'kafka' | 'starrocks-peer';

export interface Service {
  name: ServiceName;
  host: string;
  port: number;
  /** `host:port` */
  address: string;
  /** false, or the reason the suite is skipped: pass it as `describeOrSkip(name, { skip }, ...)`. */
  skip: string | false;
}

/** This file runs as dist/test/support/services.js; the repo root is three levels up. */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function envFilePath(): string {
  return join(process.env.STREAMLAB_SERVICES_DIR ?? join(repoRoot, '.services'), 'env');
}

/** `KEY=VALUE` lines of `.services/env` (comments and blank lines ignored). */
function readEnvFile(): Record<string, string> {
  const file = envFilePath();
  if (!existsSync(file)) return {};
  const entries: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match && !line.trimStart().startsWith('#')) entries[match[1]] = match[2];
  }
  return entries;
}

export function envKey(name: ServiceName): string {
  // The StarRocks test peer's line is STREAMLAB_TEST_STARROCKS: the address a StarRocks server would have there.
  return `STREAMLAB_TEST_${name.replace(/-peer$/, '').toUpperCase()}`;
}

export function isCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/** The address of a server for a test suite; see the comment at the top of this file. */
export function service(name: ServiceName): Service {
  const key = envKey(name);
  const value = process.env[key] || readEnvFile()[key];
  const match = value ? /^(.+):(\d+)$/.exec(value) : null;
  if (match) {
    return { name, host: match[1], port: Number(match[2]), address: value!, skip: false };
  }
  const why = value ? `${key}=${value} is not host:port` : `${name} is not running (no ${key} in ${envFilePath()} or the environment)`;
  const message = `${why}: start it with \`npm run services -- up ${name}\``;
  if (!isCI()) return { name, host: '', port: 0, address: '', skip: message };
  const fail = (): never => {
    throw new Error(`${message} (CI=true: a missing server is a failure, not a skip)`);
  };
  return {
    name,
    skip: false,
    get host() {
      return fail();
    },
    get port() {
      return fail();
    },
    get address() {
      return fail();
    },
  };
}
