import type pg from 'pg';
import type { TableName } from './identifiers.js';

/** One column of an existing table, as the catalog describes it. */
export interface TableColumn {
  name: string;
  /** `format_type` text: `bigint`, `character varying(20)`, `timestamp with time zone`... */
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

export interface TableInfo {
  columns: TableColumn[];
  /** Column lists of the primary key and of every unique constraint or unique index (what ON CONFLICT can target). */
  uniqueKeys: string[][];
}

/**
 * The columns of a table in table order and its unique keys, from pg_catalog (which, unlike information_schema,
 * also lists tables the user cannot write and unique indexes); undefined when there is no such table.
 */
export async function describeTable(client: pg.Client, table: TableName): Promise<TableInfo | undefined> {
  const columns = await client.query<{ name: string; type: string; not_null: boolean; has_default: boolean }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null, a.atthasdef AS has_default
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [table.schema, table.name],
  );
  if (columns.rows.length === 0) return undefined;
  const keys = await client.query<{ columns: string[] }>(
    `SELECT array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE n.nspname = $1 AND c.relname = $2 AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
      GROUP BY i.indexrelid`,
    [table.schema, table.name],
  );
  return {
    columns: columns.rows.map((r) => ({ name: r.name, type: r.type, notNull: r.not_null, hasDefault: r.has_default })),
    uniqueKeys: keys.rows.map((r) => r.columns),
  };
}

/** Whether schema `schema` exists. */
export async function schemaExists(client: pg.Client, schema: string): Promise<boolean> {
  return (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount! > 0;
}
