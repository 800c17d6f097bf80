import { RuntimeError } from '../../core/errors.js';
import type { ColumnBinding } from '../../connectors/mysql/columns.js';
import { describeMySqlError } from '../../connectors/mysql/errors.js';
import { openSession } from '../../connectors/mysql/session.js';
import { duplicateKeyTableSql } from './ddl.js';

export interface CreateTable {
  duplicateKey: string[];
  distributedBy: string[];
  buckets?: number;
  replicationNum: number;
}

interface Where {
  feHost: string;
  mysqlPort: number;
  user: string;
  password: string;
  database: string;
  table: string;
}

export function createTableSqlFor(where: Where, create: CreateTable, columns: readonly ColumnBinding[]): string {
  return duplicateKeyTableSql({ database: where.database, table: where.table, columns, ...create });
}

/** Runs the `create` option's CREATE TABLE IF NOT EXISTS over the FE's MySQL port (DDL has no HTTP API). */
export async function createTableIfAsked(where: Where, create: CreateTable, columns: readonly ColumnBinding[]): Promise<void> {
  const sql = createTableSqlFor(where, create, columns);
  const target = {
    kind: 'starrocks' as const,
    server: `${where.feHost}:${where.mysqlPort}`,
    database: where.database,
    table: where.table,
    createTableSql: () => sql,
  };
  let connection: Awaited<ReturnType<typeof openSession>> | undefined;
  try {
    connection = await openSession(
      { host: where.feHost, port: where.mysqlPort, user: where.user, password: where.password, connectTimeout: 10_000 },
      () => undefined,
      undefined,
    );
    await connection.query(sql);
  } catch (error) {
    const described = describeMySqlError(error, target, 'CREATE TABLE');
    throw new RuntimeError(`${described.message}\nThe statement was:\n${sql}`, { cause: error });
  } finally {
    connection?.destroy();
  }
}
