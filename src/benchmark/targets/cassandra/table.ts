/**
 * The table a bench run writes into, designed from the run's DestinationSpec, and the check that decides whether a
 * table already there under the same name is the bench's own leftover (dropped) or someone else's (refused).
 *
 * Layout: PRIMARY KEY ((<keyColumns>), <timeColumn>). The partition is one series (for tsbs-cpu: the ten tags, of
 * which hostname alone already decides the other nine), its rows clustered by time. This is TSBS's own Cassandra
 * layout made wide: tsbs_load_cassandra writes one narrow table per value type, partitioned by a series id made of
 * the measurement, every tag, the field name and the day, clustered by timestamp_ns. The rows here carry no day
 * column, so a partition holds a series' whole run: rows / scale rows (1M rows over 100 hosts: 10 000 rows, 0.36 MB
 * on disk each, measured), far below the sizes Cassandra warns about (100 MB). Tag values are stored once per
 * partition, not once per row.
 */
import type cassandra from 'cassandra-driver';
import { type DestinationSpec, TargetError } from '../../target.js';
import { INFERRED_TYPES, cqlTypeName, type CqlType } from '../../../connectors/cassandra/cql-types.js';
import { qualified, quote, tableName } from '../../../connectors/cassandra/identifiers.js';

/** Written as the table's comment: how a leftover of an earlier bench is recognised. */
export const BENCH_COMMENT = 'streamlab bench destination';

export interface BenchTable {
  keyspace: string;
  table: string;
  /** Columns with their CQL types, in the spec's order. */
  columns: Array<{ name: string; type: string }>;
  partitionKey: string[];
  clustering: string[];
}

export function designTable(keyspace: string, spec: DestinationSpec): BenchTable {
  const columns = spec.schema.map((column) => {
    const type = INFERRED_TYPES[column.type];
    if (type === undefined)
      throw new TargetError(
        `cassandra target: column "${column.name}" of ${spec.name} is ${column.type}; the bench tables hold string, long, double, boolean and timestamp columns`,
      );
    return { name: column.name, type };
  });
  const names = new Set(columns.map((c) => c.name));
  for (const key of [...spec.keyColumns, spec.timeColumn, spec.checksumColumn]) {
    if (!names.has(key)) throw new TargetError(`cassandra target: ${spec.name} names column "${key}", which its schema does not have`);
  }
  const partitionKey = spec.keyColumns.length > 0 ? spec.keyColumns : [spec.timeColumn];
  const clustering = spec.keyColumns.length > 0 ? [spec.timeColumn] : [];
  return { keyspace, table: spec.name, columns, partitionKey, clustering };
}

export function createTableCql(t: BenchTable): string {
  const columns = t.columns.map((c) => `${quote(c.name)} ${c.type}`).join(', ');
  const key = [`(${t.partitionKey.map(quote).join(', ')})`, ...t.clustering.map(quote)].join(', ');
  return `CREATE TABLE ${qualified(t.keyspace, t.table)} (${columns}, PRIMARY KEY (${key})) WITH comment = '${BENCH_COMMENT}'`;
}

/** `"pk1", "pk2"`: what token() takes. */
export function partitionKeyList(t: BenchTable): string {
  return t.partitionKey.map(quote).join(', ');
}

/**
 * Whether an existing table of the same name may be dropped: it carries the bench's comment, or it has exactly the
 * columns, types and key this run would create. Anything else is not the bench's: a TargetError saying what differs.
 */
export function checkLeftover(t: BenchTable, existing: cassandra.metadata.TableMetadata, address: string): void {
  if (existing.comment === BENCH_COMMENT) return;
  const have = existing.columns.map((c) => `${c.name} ${cqlTypeName(c.type as CqlType)}`).sort();
  const want = t.columns.map((c) => `${c.name} ${c.type}`).sort();
  const haveKey = [existing.partitionKeys.map((c) => c.name), existing.clusteringKeys.map((c) => c.name)];
  const sameKey = JSON.stringify(haveKey) === JSON.stringify([t.partitionKey, t.clustering]);
  if (JSON.stringify(have) === JSON.stringify(want) && sameKey) return;
  const keyText = `PRIMARY KEY ((${haveKey[0].join(', ')})${haveKey[1].map((c) => `, ${c}`).join('')})`;
  throw new TargetError(
    `cassandra target: the table ${tableName(t.keyspace, t.table)} in ${address} already exists with another schema ` +
      `(${have.join(', ')}, ${keyText}) and was not made by streamlab bench, so it is left alone; drop it yourself or run the bench in another keyspace`,
  );
}
