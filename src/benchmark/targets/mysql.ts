/**
 * The `mysql` sink's bench target, against MySQL or MariaDB (by default the MariaDB of `npm run services -- up
 * mariadb`). A destination is a fresh table with the primary key (key columns, time column) made by mysql-table.ts;
 * the sink writes into it as it exists (no `create` option). Read-back: COUNT(*) and SUM of the checksum column;
 * count() is an exact COUNT(*) too (InnoDB scans an index for it: fine for freshness samples, not free).
 *
 * Bytes on disk: DATA_LENGTH + INDEX_LENGTH from information_schema.TABLES after ANALYZE TABLE. Those are InnoDB's
 * persistent statistics: the pages allocated to the clustered and secondary indexes times the page size, refreshed by
 * ANALYZE (which also clears MySQL 8's information_schema cache); they count whole pages and extents, not bytes of
 * rows, and are not the .ibd file's size (which also holds free extents). Chosen over reading the .ibd file because
 * it works against any server, not only one on this machine whose datadir the bench knows.
 *
 * Dropping also deletes the rows the sink recorded for the table in its commit table (streamlab_commits).
 */
import type mysql from 'mysql2/promise';
import { driverError } from '../../connectors/mysql/errors.js';
import { qualifiedName } from '../../connectors/mysql/identifiers.js';
import type { BenchTarget, Destination, DestinationSpec, SinkConnection, TargetSession } from '../target.js';
import { loadDataBaseline } from './mysql-load-data.js';
import { benchTableSql } from './mysql-table.js';
import { connectSql, countRows, dropLeftover, readBackTable, requireDatabase, type SqlServer } from './sql-table.js';

/** `10.11.6-MariaDB-0+deb12u1` -> `MariaDB 10.11.6`; `8.0.36` -> `MySQL 8.0.36`. */
export function mysqlServerVersion(version: string): string {
  const number = /^\d+(\.\d+)*/.exec(version)?.[0] ?? version;
  return /mariadb/i.test(version) ? `MariaDB ${number}` : `MySQL ${number}`;
}

/** Deletes the sink's commit-table rows of a table; none when the commit table does not exist (yet). */
async function forgetCommits(admin: mysql.Connection, database: string, commitTable: string, table: string): Promise<void> {
  try {
    await admin.query(`DELETE FROM ${qualifiedName(database, commitTable)} WHERE table_name = ?`, [table]);
  } catch (error) {
    if (driverError(error).code !== 'ER_NO_SUCH_TABLE') throw error;
  }
}

async function diskBytes(admin: mysql.Connection, database: string, table: string): Promise<number | undefined> {
  await admin.query(`ANALYZE TABLE ${qualifiedName(database, table)}`);
  const [rows] = await admin.query(
    'SELECT DATA_LENGTH + INDEX_LENGTH AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [database, table],
  );
  const bytes = (rows as Array<{ bytes: number | string | null }>)[0]?.bytes;
  return bytes === null || bytes === undefined ? undefined : Number(bytes);
}

async function openMysql(connection: SinkConnection): Promise<TargetSession> {
  const server: SqlServer = {
    host: String(connection.host ?? '127.0.0.1'),
    port: Number(connection.port ?? 3306),
    user: String(connection.user ?? 'root'),
    password: String(connection.password ?? ''),
    howToStart: 'Start it with `npm run services -- up mariadb`, or point the profile (MYSQL_HOST, MYSQL_PORT) at your server',
  };
  const database = String(connection.database);
  const commitTable = String(connection.commitTable ?? 'streamlab_commits');
  const admin = await connectSql(server);
  try {
    await requireDatabase(admin, database, server, "set the profile's database (MYSQL_DATABASE)");
  } catch (error) {
    admin.destroy();
    throw error;
  }
  const [[{ version }]] = (await admin.query('SELECT VERSION() AS version')) as unknown as [[{ version: string }]];

  const prepare = async (spec: DestinationSpec): Promise<Destination> => {
    if (await dropLeftover(admin, database, spec, server)) await forgetCommits(admin, database, commitTable, spec.name);
    await admin.query(benchTableSql(database, spec));
    return {
      sinkOptions: { table: spec.name },
      count: () => countRows(admin, database, spec.name),
      readBack: () => readBackTable(admin, database, spec.name, spec.checksumColumn),
      diskBytes: () => diskBytes(admin, database, spec.name),
      drop: async () => {
        await admin.query(`DROP TABLE IF EXISTS ${qualifiedName(database, spec.name)}`);
        await forgetCommits(admin, database, commitTable, spec.name);
      },
    };
  };

  return {
    serverVersion: mysqlServerVersion(version),
    prepare,
    baseline: loadDataBaseline(server, database),
    close: () => admin.end().catch(() => admin.destroy()),
  };
}

export const mysqlTarget: BenchTarget = {
  sink: 'mysql',
  profile: 'mysql',
  service: 'mariadb',
  open: openMysql,
};
