import type { Row } from '../../core/row.js';
import { qualifiedName, quoteIdentifier, type TableName } from '../../connectors/postgres/identifiers.js';

/** The per-batch SQL of one sink, fixed when the sink is built. */
export interface Statements {
  /** `COPY "s"."t" ("a", "b") FROM STDIN` into the table (append, complete) or the staging table (update). */
  copy: string;
  /** update mode: the staging table (temporary, emptied at commit) and the upsert from it. */
  stage?: string;
  upsert?: string;
  /** `DELETE FROM "s"."t" WHERE (...)`: complete mode, and replaceWhere. */
  delete: string;
}

/** The session's staging table for update mode: temporary, so each connection has its own. */
const STAGE = quoteIdentifier('streamlab_stage');

export function statements(
  table: TableName,
  columns: readonly string[],
  key: readonly string[] | undefined,
  replaceWhere?: string,
): Statements {
  const target = qualifiedName(table);
  const names = columns.map(quoteIdentifier).join(', ');
  const condition = replaceWhere === undefined ? '' : ` WHERE (${replaceWhere})`;
  if (!key) return { copy: `COPY ${target} (${names}) FROM STDIN`, delete: `DELETE FROM ${target}${condition}` };
  const keySet = new Set(key);
  const others = columns.filter((c) => !keySet.has(c));
  // A key-only table has nothing to update: a row whose key is there already stays as it is.
  const action = others.length
    ? `DO UPDATE SET ${others.map((c) => `${quoteIdentifier(c)} = EXCLUDED.${quoteIdentifier(c)}`).join(', ')}`
    : 'DO NOTHING';
  return {
    copy: `COPY ${STAGE} (${names}) FROM STDIN`,
    stage: `CREATE TEMP TABLE IF NOT EXISTS ${STAGE} ON COMMIT DELETE ROWS AS SELECT ${names} FROM ${target} WITH NO DATA`,
    upsert: `INSERT INTO ${target} (${names}) SELECT ${names} FROM ${STAGE} ON CONFLICT (${key.map(quoteIdentifier).join(', ')}) ${action}`,
    delete: `DELETE FROM ${target}${condition}`,
  };
}

/**
 * One row per key, the last of the batch (update mode): ON CONFLICT DO UPDATE refuses to change a row twice in one
 * statement, and Spark's update mode means the latest value of each key. Rows keep their batch order otherwise.
 */
export function lastPerKey(rows: Row[], key: readonly string[]): Row[] {
  const last = new Map<string, number>();
  for (let r = 0; r < rows.length; r++) last.set(JSON.stringify(key.map((k) => rowKeyPart(rows[r][k]))), r);
  if (last.size === rows.length) return rows;
  const keep = new Set(last.values());
  return rows.filter((_, r) => keep.has(r));
}

const rowKeyPart = (value: unknown): unknown =>
  value instanceof Date ? value.getTime() : typeof value === 'bigint' ? value.toString() : (value ?? null);
