/**
 * The `postgres` sink's bench target, against PostgreSQL (by default the PostgreSQL 15 of `npm run services -- up
 * postgres`). A destination is a fresh table in schema public with the sink's column types (sinks/postgres/ddl.ts)
 * and the primary key a telemetry table has (key columns, then the time column), made here so the sink pays for a
 * keyed insert as it would in production; the sink writes into it as it exists. Read-back: count(*) and the exact sum
 * of the checksum column (numeric, read as text).
 *
 * Bytes on disk: pg_total_relation_size, the table's heap, its TOAST and its
 * indexes as allocated in pages (what the table costs on disk, not the bytes of its rows).
 *
 * Dropping also deletes the rows the sink recorded for the table in its commit table (streamlab_commits).
 */
import type pg from 'pg';
import { serverAddress, type PostgresConnectionOptions } from '../../connectors/postgres/connection-options.js';
import { describeTable } from '../../connectors/postgres/catalog.js';
import { driverError } from '../../connectors/postgres/errors.js';
import { qualifiedName } from '../../connectors/postgres/identifiers.js';
import { openSession } from '../../connectors/postgres/session.js';
import { isNetworkErrorCode } from '../../core/errors.js';
import { createTableSql } from '../../sinks/postgres/ddl.js';
import type { BenchTarget, Destination, DestinationSpec, SinkConnection, TargetSession } from '../target.js';
import { TargetError } from '../target.js';
import { bareCopyBaseline } from './postgres-copy.js';

const HOW_TO_START = 'Start it with `npm run services -- up postgres`, or point the profile (PGHOST, PGPORT) at your server';

async function connect(options: PostgresConnectionOptions): Promise<pg.Client> {
  try {
    return await openSession(options, () => undefined);
  } catch (error) {
    const e = driverError(error);
    if (isNetworkErrorCode(e.code))
      throw new TargetError(`cannot reach PostgreSQL at ${serverAddress(options)} (${e.code}): is it up? ${HOW_TO_START}`);
    throw new TargetError(`PostgreSQL at ${serverAddress(options)} refused the connection: ${e.message ?? String(error)}`);
  }
}

/** Drops a table of the destination's name when it has exactly the spec's columns (a leftover of the bench); refuses another. */
async function dropLeftover(admin: pg.Client, spec: DestinationSpec, address: string): Promise<boolean> {
  const table = { schema: 'public', name: spec.name };
  const info = await describeTable(admin, table);
  if (!info) return false;
  const existing = info.columns.map((c) => c.name);
  const expected = spec.schema.map((c) => c.name);
  if ([...existing].sort().join(',') !== [...expected].sort().join(',')) {
    throw new TargetError(
      `table public.${spec.name} on ${address} exists with other columns (${existing.join(', ')}; the bench writes ${expected.join(', ')}): ` +
        "it is not the bench's to drop. Drop or rename it yourself if it is not needed, or run the bench against another database",
    );
  }
  await admin.query(`DROP TABLE ${qualifiedName(table)}`);
  return true;
}

async function openPostgres(connection: SinkConnection): Promise<TargetSession> {
  const options: PostgresConnectionOptions = {
    host: String(connection.host ?? '127.0.0.1'),
    port: Number(connection.port ?? 5432),
    user: String(connection.user ?? 'postgres'),
    password: String(connection.password ?? ''),
    database: String(connection.database ?? 'streamlab'),
    connectTimeout: Number(connection.connectTimeout ?? 10_000),
  };
  const address = serverAddress(options);
  const commits = qualifiedName({ schema: 'public', name: String(connection.commitTable ?? 'streamlab_commits') });
  const admin = await connect(options);
  const version = String((await admin.query('SHOW server_version')).rows[0].server_version);
  const forgetCommits = async (name: string) => {
    if ((await admin.query('SELECT to_regclass($1) AS t', [commits])).rows[0].t === null) return;
    await admin.query(`DELETE FROM ${commits} WHERE table_name = $1`, [`public.${name}`]);
  };

  const prepare = async (spec: DestinationSpec): Promise<Destination> => {
    const table = qualifiedName({ schema: 'public', name: spec.name });
    if (await dropLeftover(admin, spec, address)) await forgetCommits(spec.name);
    const key = [...spec.keyColumns.filter((k) => k !== spec.timeColumn), spec.timeColumn];
    await admin.query(createTableSql({ schema: 'public', name: spec.name }, spec.schema, key));
    return {
      sinkOptions: { table: spec.name },
      count: async () => Number((await admin.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n),
      readBack: async () => {
        const { rows } = await admin.query(
          `SELECT count(*) AS n, COALESCE(sum("${spec.checksumColumn}"), 0)::text AS checksum FROM ${table}`,
        );
        return { rows: Number(rows[0].n), checksum: Number(rows[0].checksum) };
      },
      diskBytes: async () => Number((await admin.query('SELECT pg_total_relation_size($1) AS bytes', [table])).rows[0].bytes),
      drop: async () => {
        await admin.query(`DROP TABLE IF EXISTS ${table}`);
        await forgetCommits(spec.name);
      },
    };
  };

  return {
    serverVersion: `PostgreSQL ${/^\d+(\.\d+)*/.exec(version)?.[0] ?? version}`,
    prepare,
    baseline: bareCopyBaseline(options),
    close: () => admin.end().catch(() => undefined),
  };
}

export const postgresTarget: BenchTarget = {
  sink: 'postgres',
  profile: 'postgres',
  service: 'postgres',
  open: openPostgres,
};
