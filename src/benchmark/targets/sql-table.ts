/**
 * What the mysql and starrocks targets share: a connection to a MySQL-protocol server that says how to start it when
 * it is not up, the check that a table of the destination's name is the bench's own leftover, and the read-back
 * (COUNT(*) and the exact sum of the checksum column). Each target says how its tables are made.
 */
import mysql from 'mysql2/promise';
import { driverError } from '../../connectors/mysql/errors.js';
import { qualifiedName, quoteIdentifier } from '../../connectors/mysql/identifiers.js';
import { isNetworkErrorCode } from '../../core/errors.js';
import type { DestinationSpec, ReadBack } from '../target.js';
import { TargetError } from '../target.js';

export interface SqlServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** What the message of a server that is not up says, e.g. "Start it with `npm run services -- up mariadb`". */
  howToStart: string;
}

export const addressOf = (server: SqlServer): string => `${server.host}:${server.port}`;

/** A connection for the target's own statements (DDL, read-back), in UTC like the sinks' sessions. */
export async function connectSql(server: SqlServer): Promise<mysql.Connection> {
  try {
    const connection = await mysql.createConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
      connectTimeout: 10_000,
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
    connection.on('error', () => undefined); // an idle connection that dies must not end the process
    await connection.query("SET SESSION time_zone = '+00:00'");
    return connection;
  } catch (error) {
    const e = driverError(error);
    if (isNetworkErrorCode(e.code) || e.code === 'ETIMEDOUT') {
      throw new TargetError(`cannot reach the MySQL-protocol server at ${addressOf(server)} (${e.code}): is it up? ${server.howToStart}`);
    }
    throw new TargetError(
      `MySQL-protocol server at ${addressOf(server)} refused the connection: ${e.sqlMessage ?? e.message ?? String(error)}`,
    );
  }
}

/** Column names of db.table in table order, lower-cased; undefined when there is no such table. */
export async function tableColumns(connection: mysql.Connection, database: string, table: string): Promise<string[] | undefined> {
  const [rows] = await connection.query(
    'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [database, table],
  );
  const names = (rows as Array<{ name: string }>).map((r) => r.name.toLowerCase());
  return names.length ? names : undefined;
}

/** Fails naming the database when it does not exist (the bench creates tables, not databases). */
export async function requireDatabase(connection: mysql.Connection, database: string, server: SqlServer, how: string): Promise<void> {
  const [rows] = await connection.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]);
  if ((rows as unknown[]).length === 0) {
    throw new TargetError(
      `database '${database}' does not exist on ${addressOf(server)}: create it (CREATE DATABASE \`${database}\`) or ${how}`,
    );
  }
}

/**
 * Drops a table of the destination's name when it has exactly the spec's columns (in any order) (a run of the bench left it: the
 * names are the bench's own `sb_...`), and refuses any other table: it is someone's data, not the bench's to drop.
 * Returns whether something was dropped.
 */
export async function dropLeftover(
  connection: mysql.Connection,
  database: string,
  spec: DestinationSpec,
  server: SqlServer,
): Promise<boolean> {
  const existing = await tableColumns(connection, database, spec.name);
  if (!existing) return false;
  const expected = spec.schema.map((c) => c.name.toLowerCase());
  // As sets: StarRocks moves key columns to the front.
  if ([...existing].sort().join(',') !== [...expected].sort().join(',')) {
    throw new TargetError(
      `table ${database}.${spec.name} on ${addressOf(server)} exists with other columns (${existing.join(', ')}; the bench writes ${expected.join(', ')}): ` +
        `it is not the bench's to drop. Drop or rename it yourself if it is not needed, or run the bench against another database`,
    );
  }
  await connection.query(`DROP TABLE ${qualifiedName(database, spec.name)}`);
  return true;
}

/** Every row's count and the exact sum of the checksum column (SUM of BIGINT is DECIMAL: read as text). */
export async function readBackTable(
  connection: mysql.Connection,
  database: string,
  table: string,
  checksumColumn: string,
): Promise<ReadBack> {
  const [rows] = await connection.query(
    `SELECT COUNT(*) AS n, CAST(COALESCE(SUM(${quoteIdentifier(checksumColumn)}), 0) AS CHAR) AS checksum FROM ${qualifiedName(database, table)}`,
  );
  const [row] = rows as Array<{ n: number | string; checksum: string }>;
  return { rows: Number(row.n), checksum: Number(row.checksum) };
}

export async function countRows(connection: mysql.Connection, database: string, table: string): Promise<number> {
  const [rows] = await connection.query(`SELECT COUNT(*) AS n FROM ${qualifiedName(database, table)}`);
  return Number((rows as Array<{ n: number | string }>)[0].n);
}
