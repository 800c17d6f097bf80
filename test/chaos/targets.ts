/**
 * The sinks the chaos suite drives, each with the job options that point it at a fresh table of its real server and
 * a read-back of every `value` written. Tables have no primary key where the store allows it (MySQL, PostgreSQL, the
 * StarRocks peer's MariaDB table), so that a row written twice is seen twice; Cassandra keys rows by a replay-safe generated
 * id, so a batch re-run under another batch id would show as a second row; InfluxDB places a point by its row's time
 * and its batch id (docs/influxdb.md), so there too a batch re-run under another id shows twice.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import cassandra from 'cassandra-driver';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import mysql from 'mysql2/promise';
import type pg from 'pg';
import { openSession } from '../../src/connectors/postgres/session.js';
import { type ServiceName, service } from '../support/services.js';
import { type StarRocksPeer, startStarRocksPeer } from '../support/starrocks-peer/index.js';

export interface ChaosTarget {
  name: string;
  /** The server it needs, if any (a missing one skips the target locally and fails it under CI=true). */
  needs?: ServiceName;
  note?: string;
  /** Rows per second of the rate source (default 500). */
  rowsPerSecond?: number;
  /** false: not part of the outage scenario (the StarRocks peer is not the server under test). */
  outage?: boolean;
  /** Creates what the sink writes into; returns the `sink:` object of the job. */
  prepare(id: string, cwd: string): Promise<Record<string, unknown>>;
  /** Every `value` written, in any order, duplicates included. */
  readValues(id: string, cwd: string): Promise<number[]>;
  cleanup(id: string): Promise<void>;
}

const mariadb = () => service('mariadb');

async function withMysql<T>(use: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const db = mariadb();
  const connection = await mysql.createConnection({ host: db.host, port: db.port, user: 'root', database: 'streamlab' });
  try {
    return await use(connection);
  } finally {
    await connection.end();
  }
}

const mysqlValues = (table: string) =>
  withMysql(async (c) => ((await c.query(`SELECT value FROM ${table}`))[0] as Array<{ value: number }>).map((r) => Number(r.value)));

function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f));
}

async function influxValues(address: string, measurement: string): Promise<number[]> {
  const url = `http://${address}/query?db=streamlab&epoch=ms&q=${encodeURIComponent(`SELECT value FROM "${measurement}"`)}`;
  const body = (await (await fetch(url)).json()) as { results: Array<{ series?: Array<{ values: [number, number][] }> }> };
  return (body.results[0].series?.[0]?.values ?? []).map(([, value]) => value);
}

async function influxDrop(address: string, measurement: string): Promise<void> {
  await fetch(`http://${address}/query?db=streamlab&q=${encodeURIComponent(`DROP MEASUREMENT "${measurement}"`)}`, { method: 'POST' });
}

const influxTarget = (name: string, server: 'influxdb18' | 'influxdb1', api: 'v2' | 'v1'): ChaosTarget => ({
  name,
  needs: server,
  note: 'at 2,000 rows/s rows share milliseconds (kept apart in ns); a point is placed by its batch id too, so a batch re-run under another id shows twice',
  rowsPerSecond: 2000,
  async prepare(id) {
    return { type: 'influxdb', api, url: `http://${service(server).address}`, bucket: 'streamlab', measurement: id, fields: ['value'] };
  },
  readValues: (id) => influxValues(service(server).address, id),
  cleanup: (id) => influxDrop(service(server).address, id),
});

async function withPostgres<T>(use: (c: pg.Client) => Promise<T>): Promise<T> {
  const db = service('postgres');
  const client = await openSession(
    { host: db.host, port: db.port, user: 'postgres', password: '', database: 'streamlab', connectTimeout: 10_000 },
    () => undefined,
  );
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

let peer: StarRocksPeer | undefined;

export const TARGETS: ChaosTarget[] = [
  {
    name: 'file',
    async prepare(id, cwd) {
      return { type: 'file', format: 'jsonl', path: join(cwd, 'out', id) };
    },
    async readValues(id, cwd) {
      return filesUnder(join(cwd, 'out', id), '.jsonl').flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .filter((line) => line.length > 0)
          .map((line) => (JSON.parse(line) as { value: number }).value),
      );
    },
    async cleanup() {},
  },
  {
    name: 'parquet',
    async prepare(id, cwd) {
      return { type: 'parquet', path: join(cwd, 'out', id) };
    },
    async readValues(id, cwd) {
      const values: number[] = [];
      for (const file of filesUnder(join(cwd, 'out', id), '.parquet')) {
        const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(file), columns: ['value'] })) as Array<{ value: bigint }>;
        for (const row of rows) values.push(Number(row.value));
      }
      return values;
    },
    async cleanup() {},
  },
  influxTarget('influxdb-v2', 'influxdb18', 'v2'),
  influxTarget('influxdb-v1', 'influxdb1', 'v1'),
  {
    name: 'cassandra',
    needs: 'cassandra',
    note: 'keyed by a replay-safe generated id: a batch re-run under another id shows twice',
    async prepare(id) {
      const c = service('cassandra');
      return {
        type: 'cassandra',
        contactPoints: [c.address],
        keyspace: 'streamlab',
        table: id,
        id: { column: 'id', generate: 'uuid' },
        create: { primaryKey: ['id'] },
      };
    },
    async readValues(id) {
      const c = service('cassandra');
      const client = new cassandra.Client({ contactPoints: [c.address], localDataCenter: 'datacenter1', keyspace: 'streamlab' });
      try {
        const values: number[] = [];
        await new Promise<void>((resolve, reject) =>
          client.eachRow(
            `SELECT value FROM ${id}`,
            [],
            { prepare: true, fetchSize: 5000, autoPage: true },
            (_n, row) => values.push(Number((row.value as cassandra.types.Long).toString())),
            (error) => (error ? reject(error) : resolve()),
          ),
        );
        return values;
      } finally {
        await client.shutdown();
      }
    },
    async cleanup(id) {
      const c = service('cassandra');
      const client = new cassandra.Client({ contactPoints: [c.address], localDataCenter: 'datacenter1', keyspace: 'streamlab' });
      await client.execute(`DROP TABLE IF EXISTS ${id}`).finally(() => client.shutdown());
    },
  },
  {
    name: 'mysql',
    needs: 'mariadb',
    note: 'table without a primary key',
    async prepare(id) {
      await withMysql((c) => c.query(`CREATE TABLE ${id} (timestamp DATETIME(3) NOT NULL, value BIGINT NOT NULL)`));
      const db = mariadb();
      return { type: 'mysql', host: db.host, port: db.port, user: 'root', database: 'streamlab', table: id };
    },
    readValues: (id) => mysqlValues(id),
    cleanup: (id) => withMysql((c) => c.query(`DROP TABLE IF EXISTS ${id}`)).then(() => undefined),
  },
  {
    name: 'postgres',
    needs: 'postgres',
    note: 'table without a primary key',
    async prepare(id) {
      await withPostgres((c) => c.query(`CREATE TABLE ${id} (timestamp timestamptz NOT NULL, value bigint NOT NULL)`));
      const db = service('postgres');
      return { type: 'postgres', host: db.host, port: db.port, database: 'streamlab', table: id };
    },
    readValues: (id) => withPostgres(async (c) => (await c.query(`SELECT value FROM ${id}`)).rows.map((r) => Number(r.value))),
    cleanup: (id) =>
      withPostgres(async (c) => {
        await c.query(`DROP TABLE IF EXISTS ${id}`);
        await c.query('DELETE FROM streamlab_commits WHERE table_name = $1', [`public.${id}`]);
      }),
  },
  {
    name: 'starrocks',
    needs: 'mariadb',
    note: 'Stream Load peer (test/support/starrocks-peer) over a MariaDB table without a primary key',
    outage: false,
    async prepare(id) {
      await withMysql((c) => c.query(`CREATE TABLE ${id} (timestamp DATETIME(3) NOT NULL, value BIGINT NOT NULL)`));
      const db = mariadb();
      peer ??= await startStarRocksPeer({ mariadb: { host: db.host, port: db.port } });
      return { type: 'starrocks', feHost: peer.feHost, httpPort: peer.fePort, database: 'streamlab', table: id };
    },
    readValues: (id) => mysqlValues(id),
    async cleanup(id) {
      await withMysql((c) => c.query(`DROP TABLE IF EXISTS ${id}`));
      await peer?.close();
      peer = undefined;
    },
  },
];
