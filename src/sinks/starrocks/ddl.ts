import type { ColumnType } from '../../core/schema.js';
import type { ColumnBinding } from '../../connectors/mysql/columns.js';
import { qualifiedName, quoteIdentifier } from '../../connectors/mysql/identifiers.js';

/** StarRocks column types for streamlab's. DATETIME keeps microseconds in StarRocks 3.x; the sink sends milliseconds. */
export function starrocksType(type: ColumnType): string {
  switch (type) {
    case 'string':
      return 'VARCHAR(65533)';
    case 'long':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'timestamp':
      return 'DATETIME';
    case 'array':
    case 'struct':
    case 'any':
      return 'JSON';
  }
}

export interface DuplicateKeyTable {
  database: string;
  table: string;
  columns: readonly ColumnBinding[];
  /** Sort key; StarRocks requires these to be the leading columns, in this order. */
  duplicateKey: readonly string[];
  distributedBy: readonly string[];
  buckets?: number;
  /** 1 on a single-BE cluster (the all-in-one image); StarRocks' default of 3 needs three BEs. */
  replicationNum: number;
}

/**
 * A duplicate-key table, StarRocks' table for append-only facts such as sensor readings:
 *
 *   CREATE TABLE IF NOT EXISTS `realtime_demo`.`sensor_data` (
 *     `sensor_id` BIGINT,
 *     `ts` DATETIME,
 *     `temperature` DOUBLE,
 *     `humidity` DOUBLE
 *   )
 *   DUPLICATE KEY(`sensor_id`, `ts`)
 *   DISTRIBUTED BY HASH(`sensor_id`)
 *   PROPERTIES ("replication_num" = "1")
 *
 * Key columns are moved to the front in key order, as StarRocks requires; the others keep their order.
 */
export function duplicateKeyTableSql(t: DuplicateKeyTable): string {
  const byName = new Map(t.columns.map((c) => [c.table, c]));
  const missing = [...t.duplicateKey, ...t.distributedBy].filter((k) => !byName.has(k));
  if (missing.length) throw new Error(`not columns of the table: ${missing.join(', ')}`);
  const ordered = [...t.duplicateKey.map((k) => byName.get(k)!), ...t.columns.filter((c) => !t.duplicateKey.includes(c.table))];
  const lines = ordered.map((c) => `  ${quoteIdentifier(c.table)} ${starrocksType(c.type)}`);
  return [
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(t.database, t.table)} (`,
    lines.join(',\n'),
    ')',
    `DUPLICATE KEY(${t.duplicateKey.map(quoteIdentifier).join(', ')})`,
    `DISTRIBUTED BY HASH(${t.distributedBy.map(quoteIdentifier).join(', ')})${t.buckets ? ` BUCKETS ${t.buckets}` : ''}`,
    `PROPERTIES ("replication_num" = "${t.replicationNum}")`,
  ].join('\n');
}

/** The course's demo table, `realtime_demo.sensor_data`, for the sensor source's columns. */
export function sensorTableSql(database = 'realtime_demo', table = 'sensor_data', replicationNum = 1): string {
  return duplicateKeyTableSql({
    database,
    table,
    columns: [
      { table: 'sensor_id', source: 'sensor_id', type: 'long' },
      { table: 'ts', source: 'timestamp', type: 'timestamp' },
      { table: 'temperature', source: 'temperature', type: 'double' },
      { table: 'humidity', source: 'humidity', type: 'double' },
    ],
    duplicateKey: ['sensor_id', 'ts'],
    distributedBy: ['sensor_id'],
    replicationNum,
  });
}
