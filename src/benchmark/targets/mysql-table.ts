/**
 * The bench's MySQL/MariaDB table: the mysql sink's column types (sinks/mysql/ddl.ts) with the primary key
 * (key columns, then the time column) that a telemetry table has, so the sink pays for a keyed insert as it would in
 * production. The target creates it rather than the sink's `create` option, because the sink makes key strings
 * VARCHAR(255): ten of them (TSBS's tags) exceed InnoDB's 3072-byte key limit. Here string key columns share that
 * limit (at most VARCHAR(255)); TSBS's tag values are a few characters.
 */
import type { ColumnType } from '../../core/schema.js';
import { qualifiedName, quoteIdentifier } from '../../connectors/mysql/identifiers.js';
import { mysqlType } from '../../sinks/mysql/ddl.js';
import type { DestinationSpec } from '../target.js';

/** InnoDB's largest key with DYNAMIC rows (MariaDB 10.2+, MySQL 5.7+), in bytes. */
const MAX_KEY_BYTES = 3072;
/** Bytes a fixed-size key column takes (BIGINT, DOUBLE, DATETIME(3), BOOLEAN), rounded up. */
const FIXED_KEY_BYTES = 8;
/** utf8mb4: up to 4 bytes a character, plus 2 bytes of length. */
const BYTES_PER_CHAR = 4;

export function primaryKeyOf(spec: DestinationSpec): string[] {
  return [...spec.keyColumns.filter((k) => k !== spec.timeColumn), spec.timeColumn];
}

/** VARCHAR length for each string column of the key, so the whole key fits InnoDB's limit. */
function keyStringLength(spec: DestinationSpec, key: readonly string[]): number {
  const types = new Map(spec.schema.map((c) => [c.name, c.type]));
  const strings = key.filter((k) => types.get(k) === 'string').length;
  if (strings === 0) return 255;
  const fixed = (key.length - strings) * FIXED_KEY_BYTES;
  return Math.min(255, Math.floor((MAX_KEY_BYTES - fixed) / strings / BYTES_PER_CHAR) - 1);
}

function columnType(type: ColumnType, inKey: boolean, keyStringChars: number): string {
  if (inKey && type === 'string') return `VARCHAR(${keyStringChars})`;
  return mysqlType(type, inKey);
}

export function benchTableSql(database: string, spec: DestinationSpec): string {
  const key = primaryKeyOf(spec);
  const inKey = new Set(key);
  const chars = keyStringLength(spec, key);
  const lines = spec.schema.map(
    (c) => `  ${quoteIdentifier(c.name)} ${columnType(c.type, inKey.has(c.name), chars)}${inKey.has(c.name) ? ' NOT NULL' : ''}`,
  );
  lines.push(`  PRIMARY KEY (${key.map(quoteIdentifier).join(', ')})`);
  return `CREATE TABLE ${qualifiedName(database, spec.name)} (\n${lines.join(',\n')}\n)`;
}
