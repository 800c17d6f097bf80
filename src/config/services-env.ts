/**
 * `--services` (of `streamlab run`, `validate`, `explain` and `bench`): the profiles' variables pointed at the servers
 * of `npm run services -- up`, read from the `.services/env` it writes (`STREAMLAB_TEST_MARIADB=127.0.0.1:3307` ...). The folder is $STREAMLAB_SERVICES_DIR, else
 * `.services` in the working directory; as in the tests, a `STREAMLAB_TEST_<NAME>` variable overrides its line.
 *
 * Precedence: for the variables set here, the services win over the environment and `.env` (asking for the
 * services means these servers, not whatever INFLUX_URL a workshop's .env holds); every other variable (and all
 * of them with --no-services) comes from the environment and `.env` as for `streamlab run`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { Env } from './env.js';

export interface ServicesEnv {
  /** The services folder (absolute): `.services/<name>/process.json` holds each server's PID. */
  dir: string;
  /** The variables to lay over the environment. */
  vars: Record<string, string>;
  /** `influxdb18 127.0.0.1:8187`, one per server used, for the terminal. */
  servers: string[];
  /** The same servers with the profiles (config/<profile>.yaml) whose variables they set. */
  used: ServiceUsed[];
}

export interface ServiceUsed {
  service: string;
  address: string;
  profiles: readonly string[];
}

/** Where the env file is looked for, as messages show it (relative to the working directory unless set absolute). */
export function servicesEnvFile(env: Env): string {
  return join(env.STREAMLAB_SERVICES_DIR ?? '.services', 'env');
}

/** The services folder, when it has an env file. */
export function findServicesDir(cwd: string, env: Env): string | undefined {
  const dir = resolve(cwd, env.STREAMLAB_SERVICES_DIR ?? '.services');
  return existsSync(join(dir, 'env')) ? dir : undefined;
}

/** One service's address mapped to the variables of the profile that reaches it. */
const MAPPINGS: {
  service: string;
  /** The shipped profiles that read these variables. */
  profiles: readonly string[];
  vars: (host: string, port: string, all: Record<string, string>) => Record<string, string>;
}[] = [
  {
    // InfluxDB 1.8 speaks the v2 write API that config/influxdb.yaml uses; any token is accepted without auth. The
    // token is a secret, redacted wherever it appears: a word of its own, so `bucket=streamlab` is not shown as ***.
    service: 'influxdb18',
    profiles: ['influxdb', 'influxdb-v1'],
    vars: (host, port) => ({
      INFLUX_URL: `http://${host}:${port}`,
      INFLUX_TOKEN: 'no-auth-on-this-server',
      INFLUX_ORG: 'streamlab',
      INFLUX_BUCKET: 'streamlab',
    }),
  },
  {
    service: 'mariadb',
    profiles: ['mysql'],
    vars: (host, port) => ({ MYSQL_HOST: host, MYSQL_PORT: port, MYSQL_DATABASE: 'streamlab', MYSQL_USER: 'root', MYSQL_PASSWORD: '' }),
  },
  {
    service: 'cassandra',
    profiles: ['cassandra'],
    vars: (host, port) => ({
      CASSANDRA_CONTACT_POINTS: `${host}:${port}`,
      CASSANDRA_KEYSPACE: 'streamlab',
      CASSANDRA_LOCAL_DC: 'datacenter1',
      CASSANDRA_USERNAME: '',
      CASSANDRA_PASSWORD: '',
    }),
  },
  {
    service: 'kafka',
    profiles: ['kafka'],
    vars: (host, port) => ({ KAFKA_BOOTSTRAP_SERVERS: `${host}:${port}` }),
  },
  {
    service: 'postgres',
    profiles: ['postgres'],
    vars: (host, port) => ({ PGHOST: host, PGPORT: port, PGDATABASE: 'streamlab', PGUSER: 'postgres', PGPASSWORD: '' }),
  },
  {
    // The StarRocks test peer: Stream Load on its FE address; its MySQL side (create, read-back) is
    // STREAMLAB_TEST_STARROCKS_MYSQL when listed (as in test/sinks/starrocks.test.ts), else the MariaDB it stores in.
    service: 'starrocks',
    profiles: ['starrocks'],
    vars: (host, port, all) => ({
      STARROCKS_FE_HOST: host,
      STARROCKS_HTTP_PORT: port,
      ...mysqlPortOf(all.STREAMLAB_TEST_STARROCKS_MYSQL ?? all.STREAMLAB_TEST_MARIADB),
      STARROCKS_DATABASE: 'streamlab',
      STARROCKS_USER: 'root',
      STARROCKS_PASSWORD: '',
    }),
  },
];

/** The variables for the servers listed in `<dir>/env`; a server not listed sets none. */
export function servicesEnv(dir: string, env: Env): ServicesEnv {
  const listed = parseEnv(readFileSync(join(dir, 'env'), 'utf8')) as Record<string, string>;
  const all: Record<string, string> = { ...listed };
  for (const [key, value] of Object.entries(env)) if (key.startsWith('STREAMLAB_TEST_') && value) all[key] = value;
  const vars: Record<string, string> = {};
  const used: ServiceUsed[] = [];
  for (const mapping of MAPPINGS) {
    const address = all[`STREAMLAB_TEST_${mapping.service.toUpperCase()}`];
    if (!address) continue;
    const { host, port } = splitAddress(address);
    Object.assign(vars, mapping.vars(host, port, all));
    used.push({ service: mapping.service, address, profiles: mapping.profiles });
  }
  return { dir, vars, servers: used.map((u) => `${u.service} ${u.address}`), used };
}

function mysqlPortOf(address: string | undefined): Record<string, string> {
  return address ? { STARROCKS_MYSQL_PORT: splitAddress(address).port } : {};
}

function splitAddress(address: string): { host: string; port: string } {
  const at = address.lastIndexOf(':');
  return at < 0 ? { host: address, port: '' } : { host: address.slice(0, at), port: address.slice(at + 1) };
}
