import type pg from 'pg';
import { RuntimeError } from '../../core/errors.js';
import type { Column } from '../../core/schema.js';
import { describeTable, schemaExists, type TableInfo } from '../../connectors/postgres/catalog.js';
import { driverError, type Target } from '../../connectors/postgres/errors.js';
import type { TableName } from '../../connectors/postgres/identifiers.js';
import { createCommitTableSql, createTableSql } from './ddl.js';
import { lineAt, type SetupSql } from './setup-sql.js';
import type { Statements } from './statements.js';
import { tableProblems } from './table-check.js';

export interface TablesToPrepare {
  table: TableName;
  columns: readonly Column[];
  create?: readonly string[];
  key?: readonly string[];
  setupSql?: SetupSql;
  replaceWhere?: string;
  commitTable: string;
}

/**
 * What the sink does once at open: runs the setupSql file (one transaction), creates the table when asked and the
 * commit table, then checks the table against the input (every problem named at once) and the replaceWhere condition
 * against the table (EXPLAIN: a typo is found at start, not at the first batch).
 */
export async function prepareTables(client: pg.Client, tables: TablesToPrepare, target: Target, sql: Statements): Promise<TableInfo> {
  const { table, columns, create, key, setupSql, replaceWhere, commitTable } = tables;
  if (setupSql) await runSetupSql(client, setupSql, target);
  if (!(await schemaExists(client, table.schema))) {
    throw new RuntimeError(
      `postgres sink: schema '${table.schema}' does not exist in database ${target.database} on ${target.server}. Create it first: CREATE SCHEMA ${table.schema}`,
    );
  }
  if (create) await createConcurrently(client, createTableSql(table, columns, create));
  await createConcurrently(client, createCommitTableSql({ schema: table.schema, name: commitTable }));
  const info = await describeTable(client, table);
  if (!info) {
    throw new RuntimeError(
      `postgres sink: table ${target.table} does not exist in database ${target.database} on ${target.server}. Create it:\n\n${createTableSql(table, columns, key ?? [])};\n\nor let the sink create it: create: true`,
    );
  }
  const problems = tableProblems(info, columns, key);
  if (problems.length) {
    throw new RuntimeError(
      `postgres sink: table ${target.table} on ${target.server} does not fit the rows the job writes:\n  ${problems.join('\n  ')}`,
    );
  }
  if (replaceWhere !== undefined) {
    try {
      await client.query(`EXPLAIN ${sql.delete}`);
    } catch (error) {
      throw new RuntimeError(
        `postgres sink: replaceWhere "${replaceWhere}" is not a condition on ${target.table}: ${driverError(error).message ?? error}`,
        {
          cause: error,
        },
      );
    }
  }
  return info;
}

/**
 * CREATE TABLE IF NOT EXISTS, run by two sinks at the same moment, can fail in one of them on the catalog's unique
 * index (a known PostgreSQL race): the table is then there, which is all that was asked.
 */
async function createConcurrently(client: pg.Client, sql: string): Promise<void> {
  try {
    await client.query(sql);
  } catch (error) {
    const code = driverError(error).code;
    if (code !== '23505' && code !== '42P07') throw error;
  }
}

async function runSetupSql(client: pg.Client, setup: SetupSql, target: Target): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(setup.text);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const e = driverError(error) as { code?: string; message?: string; position?: string };
    // A lost connection is retried as any; an error in the file is the user's to fix, said with its line.
    if (e.code === undefined || e.code.startsWith('08') || e.code.startsWith('57P')) throw error;
    throw new RuntimeError(
      `postgres sink: setupSql ${setup.path} failed on ${target.server}${lineAt(setup.text, e.position)}: ${e.message}. Nothing of it was applied.`,
      { cause: error },
    );
  }
}
