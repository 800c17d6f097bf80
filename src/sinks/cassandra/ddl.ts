import type { ConfigLocation } from '../../component/definition.js';
import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import type { ColumnBinding } from './columns.js';
import { INFERRED_TYPES } from '../../connectors/cassandra/cql-types.js';
import { quote, readable } from '../../connectors/cassandra/identifiers.js';
import type { CreateOptions } from './options.js';

/** A table the sink would create: columns with CQL types, and the primary key as CQL nests it. */
export interface TableDesign {
  columns: Array<{ name: string; type: string }>;
  /** First item: the partition key (one column or several); then the clustering columns. */
  primaryKey: Array<string | string[]>;
}

/**
 * CQL type text from configuration goes into a CREATE TABLE statement, so it is limited to what type expressions
 * are made of: names, `<`, `>`, commas and spaces (`list<text>`, `map<text, int>`, `frozen<address>`).
 */
const TYPE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\s*<[A-Za-z0-9_<>,\s]+>)?$/;

/** The table `create` asks for: every written column with its given or inferred type; checked at build time. */
export function designTable(bindings: readonly ColumnBinding[], create: CreateOptions, location: ConfigLocation): TableDesign {
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string) =>
    problems.push({ file: location.file, path: `${location.path}.create.${path}`, message });
  const written = new Set(bindings.map((b) => b.target));

  for (const [column, type] of Object.entries(create.types)) {
    if (!written.has(column))
      problem(`types.${column}`, `"${column}" is not a column the sink writes (it writes: ${[...written].join(', ')})`);
    if (!TYPE_PATTERN.test(type.trim()))
      problem(`types.${column}`, `"${type}" is not a CQL type such as int, text, list<text> or map<text, int>`);
  }
  const columns: TableDesign['columns'] = [];
  for (const binding of bindings) {
    const given = create.types[binding.target]?.trim();
    const inferred = binding.type === 'id' ? 'uuid' : INFERRED_TYPES[binding.type];
    const type = given ?? inferred;
    if (type === undefined) {
      problem(
        'types',
        `the type of column "${binding.target}" cannot be inferred: the input column "${binding.source}" is ${binding.type}; give it, e.g. types: { ${binding.target}: ${binding.type === 'array' ? '"list<text>"' : binding.type === 'struct' ? '"map<text, text>"' : 'text'} }`,
      );
    } else columns.push({ name: binding.target, type });
  }
  const keyColumns = create.primaryKey.flatMap((item) => (Array.isArray(item) ? item : [item]));
  const keySeen = new Set<string>();
  keyColumns.forEach((column) => {
    if (!written.has(column))
      problem(
        'primaryKey',
        `"${column}" is not a column the sink writes (it writes: ${[...written].join(', ')}); name table columns, after the columns mapping`,
      );
    if (keySeen.has(column)) problem('primaryKey', `"${column}" appears twice`);
    keySeen.add(column);
  });
  create.primaryKey.slice(1).forEach((item, i) => {
    if (Array.isArray(item))
      problem(`primaryKey[${i + 1}]`, 'only the first item (the partition key) may be a list; clustering columns are listed one by one');
  });
  if (problems.length) throw new ConfigError(problems);
  return { columns, primaryKey: create.primaryKey };
}

type Naming = (name: string) => string;

/** `CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}` */
export function createKeyspaceCql(keyspace: string, replication: Record<string, string | number>, name: Naming = quote): string {
  const entries = Object.entries(replication).map(([k, v]) => `${literal(k)}: ${typeof v === 'number' ? v : literal(v)}`);
  return `CREATE KEYSPACE IF NOT EXISTS ${name(keyspace)} WITH replication = {${entries.join(', ')}}`;
}

/** `CREATE TABLE IF NOT EXISTS ks.t (a bigint, b text, PRIMARY KEY ((a), b))`, the key nested as CQL nests it. */
export function createTableCql(keyspace: string, table: string, design: TableDesign, name: Naming = quote): string {
  const [partition, ...clustering] = design.primaryKey;
  const partitionText = Array.isArray(partition) ? `(${partition.map(name).join(', ')})` : name(partition);
  const key = [partitionText, ...clustering.flat().map(name)].join(', ');
  const columns = design.columns.map((c) => `${name(c.name)} ${c.type}`);
  return `CREATE TABLE IF NOT EXISTS ${name(keyspace)}.${name(table)} (${columns.join(', ')}, PRIMARY KEY (${key}))`;
}

/** The CQL a person would type for the same keyspace or table (bare lower-case names): for messages and docs. */
export const readableNames: Naming = readable;

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A table for messages when the table is missing and `create` is not set: the written columns with inferred types
 * (text where none can be inferred) and a guessed key (the generated id, else the first column) to edit.
 */
export function suggestedDesign(bindings: readonly ColumnBinding[]): TableDesign {
  const columns = bindings.map((b) => ({ name: b.target, type: b.type === 'id' ? 'uuid' : (INFERRED_TYPES[b.type] ?? 'text') }));
  const id = bindings.find((b) => b.type === 'id');
  return { columns, primaryKey: [id?.target ?? bindings[0].target] };
}
