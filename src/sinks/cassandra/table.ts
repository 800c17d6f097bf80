import cassandra from 'cassandra-driver';
import { RuntimeError } from '../../core/errors.js';
import type { ColumnBinding } from './columns.js';
import { converterFor, cqlTypeName, incompatibility, type Converter, type CqlType } from '../../connectors/cassandra/cql-types.js';
import { createKeyspaceCql, createTableCql, readableNames, type TableDesign } from './ddl.js';
import { readable, tableName } from '../../connectors/cassandra/identifiers.js';

/** What the sink needs from the table, once checked: how to turn each bound value into what the driver encodes. */
export interface TablePlan {
  /** One per binding, in INSERT order. */
  converters: Converter[];
  /** Per binding: part of the primary key (a null there is refused before anything of the batch is written). */
  inKey: boolean[];
  /** Partition key columns, in key order (for grouping rows by partition). */
  partitionKey: string[];
}

type TableMetadata = cassandra.metadata.TableMetadata;
const { dataTypes } = cassandra.types;

/**
 * The table's columns (read with the driver's metadata at open()), checked against what the sink writes: every
 * written column must exist with a type that can hold the values, and every primary key column must be written.
 * All problems at once, each naming the column, before any row is written.
 */
export function checkTable(
  bindings: readonly ColumnBinding[],
  table: TableMetadata,
  where: { keyspace: string; table: string; at: string },
): TablePlan {
  const name = tableName(where.keyspace, where.table);
  const problems: string[] = [];
  const keyColumns = [...table.partitionKeys, ...table.clusteringKeys].map((c) => c.name);
  // Key columns first, then the others, as cqlsh's DESCRIBE lists them (the driver sorts them by name).
  const ordered = [...keyColumns.map((k) => table.columnsByName[k]), ...table.columns.filter((c) => !keyColumns.includes(c.name))];
  const described = ordered.map((c) => `${readable(c.name)} ${cqlTypeName(c.type as CqlType)}`).join(', ');
  const converters: Converter[] = [];
  const inKey: boolean[] = [];

  for (const binding of bindings) {
    const column = table.columnsByName[binding.target];
    const from = binding.source === undefined ? 'the generated id' : `the input column "${binding.source}" (${binding.type})`;
    if (!column) {
      const type = binding.type === 'id' ? 'uuid' : '<type>';
      problems.push(
        `column "${binding.target}" (for ${from}) does not exist in ${name}, which has: ${described}. Add it (ALTER TABLE ${name} ADD ${readable(binding.target)} ${type}) or write that input column under another name (columns)`,
      );
      continue;
    }
    const type = column.type as CqlType;
    const why = binding.type === 'id' ? idIncompatibility(type) : incompatibility(binding.type, type);
    if (why) {
      problems.push(`column "${binding.target}" of ${name} is ${cqlTypeName(type)}, and ${from} cannot go there: ${why}`);
      continue;
    }
    converters.push(converterFor(type));
    inKey.push(keyColumns.includes(binding.target));
  }
  const written = new Set(bindings.map((b) => b.target));
  for (const key of keyColumns) {
    if (!written.has(key)) {
      problems.push(
        `the primary key column "${key}" of ${name} gets no value: the rows have no column of that name. Map an input column to it (columns: { <input column>: ${key} })${table.columnsByName[key]?.type.code === dataTypes.uuid ? `, or generate it (id: { column: ${key}, generate: uuid })` : ''}`,
      );
    }
  }
  if (problems.length) {
    const list = problems.length === 1 ? ` ${problems[0]}` : problems.map((p) => `\n  - ${p}`).join('');
    throw new RuntimeError(`${where.at}: the table ${name} does not fit the rows:${list}`);
  }
  return { converters, inKey, partitionKey: table.partitionKeys.map((c) => c.name) };
}

/** The generated id is a name-based (version 5) UUID: a uuid column holds it, or a text one as a string. */
function idIncompatibility(type: CqlType): string | undefined {
  const ok = [dataTypes.uuid, dataTypes.text, dataTypes.varchar, dataTypes.ascii];
  return ok.includes(type.code) ? undefined : 'the generated id is a version-5 UUID: the column must be uuid (or text)';
}

/** The message for a keyspace or table that does not exist (and `create` is not set): the CQL to create it, or `create`. */
export function missingTableMessage(
  what: 'keyspace' | 'table',
  where: { keyspace: string; table: string; at: string },
  design: TableDesign,
): string {
  const name = tableName(where.keyspace, where.table);
  const statements = [
    ...(what === 'keyspace'
      ? [`${createKeyspaceCql(where.keyspace, { class: 'SimpleStrategy', replication_factor: 1 }, readableNames)};`]
      : []),
    `${createTableCql(where.keyspace, where.table, design, readableNames)};`,
  ].map((s) => s.replace(' IF NOT EXISTS', ''));
  const missing = what === 'keyspace' ? `the keyspace ${readable(where.keyspace)} does not exist` : `the table ${name} does not exist`;
  return (
    `${where.at}: ${missing}. Create it in cqlsh (the primary key shown is a guess: choose yours):\n  ${statements.join('\n  ')}\n` +
    `or let the sink create ${what === 'keyspace' ? 'both' : 'it'}: create: { primaryKey: [${design.primaryKey.flat().join(', ')}] }`
  );
}
