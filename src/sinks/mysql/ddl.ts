import type { ColumnType } from '../../core/schema.js';
import type { ColumnBinding } from '../../connectors/mysql/columns.js';
import { qualifiedName, quoteIdentifier } from '../../connectors/mysql/identifiers.js';

/**
 * MySQL/MariaDB column types for streamlab's column types. Timestamps keep milliseconds (JavaScript Dates have no
 * finer resolution) and are written in UTC. Strings in a key are VARCHAR(255), which InnoDB can index in utf8mb4;
 * other strings are TEXT so long values fit. Arrays, structs and `any` are stored as JSON text.
 */
export function mysqlType(type: ColumnType, inKey: boolean): string {
  switch (type) {
    case 'string':
      return inKey ? 'VARCHAR(255)' : 'TEXT';
    case 'long':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'timestamp':
      return 'DATETIME(3)';
    case 'array':
    case 'struct':
    case 'any':
      return 'JSON';
  }
}

/**
 * `CREATE TABLE IF NOT EXISTS` for the bound columns. Key columns are NOT NULL (a primary key requires it); the
 * others accept NULL, as streamlab rows may hold nulls. Without a primary key the table still works for `append`.
 */
export function createTableSql(
  database: string,
  table: string,
  columns: readonly ColumnBinding[],
  primaryKey: readonly string[] = [],
): string {
  const key = new Set(primaryKey);
  const lines = columns.map(
    (c) => `  ${quoteIdentifier(c.table)} ${mysqlType(c.type, key.has(c.table))}${key.has(c.table) ? ' NOT NULL' : ''}`,
  );
  if (primaryKey.length) lines.push(`  PRIMARY KEY (${primaryKey.map(quoteIdentifier).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(database, table)} (\n${lines.join(',\n')}\n)`;
}

/**
 * The commit table: one row per (query id, batch id) written, inserted in the same transaction as the batch's rows.
 * Its primary key is what makes a replay detectable: inserting the same pair again fails with a duplicate key, and
 * the whole transaction (rows included) is rolled back.
 */
export function createCommitTableSql(database: string, commitTable: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(database, commitTable)} (
  query_id VARCHAR(64) NOT NULL,
  batch_id BIGINT NOT NULL,
  table_name VARCHAR(64) NOT NULL,
  num_rows BIGINT NOT NULL,
  committed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (query_id, batch_id)
)`;
}
