import type { Column } from '../../core/schema.js';
import { postgresType } from '../../connectors/postgres/column-types.js';
import { qualifiedName, quoteIdentifier, type TableName } from '../../connectors/postgres/identifiers.js';

/**
 * `CREATE TABLE IF NOT EXISTS` for the input columns (types: connectors/postgres/column-types.ts). Key columns are
 * NOT NULL (a primary key requires it); the others accept NULL, as streamlab rows may hold nulls.
 */
export function createTableSql(table: TableName, columns: readonly Column[], primaryKey: readonly string[] = []): string {
  const key = new Set(primaryKey);
  const lines = columns.map((c) => `  ${quoteIdentifier(c.name)} ${postgresType(c.type)}${key.has(c.name) ? ' NOT NULL' : ''}`);
  if (primaryKey.length) lines.push(`  PRIMARY KEY (${primaryKey.map(quoteIdentifier).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(table)} (\n${lines.join(',\n')}\n)`;
}

/**
 * The commit table: one row per (query id, batch id) written, inserted in the same transaction as the batch's rows.
 * Its primary key makes a replay detectable, and makes two writers of one batch wait for each other.
 */
export function createCommitTableSql(table: TableName): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(table)} (
  query_id text NOT NULL,
  batch_id bigint NOT NULL,
  table_name text NOT NULL,
  num_rows bigint NOT NULL,
  committed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (query_id, batch_id)
)`;
}
