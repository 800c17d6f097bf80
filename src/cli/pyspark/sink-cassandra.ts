import type { ComponentConfig } from '../../config/load-job.js';
import type { Translation } from './context.js';
import { py } from './python.js';
import { refuse } from './refusal.js';

const CQL_TYPES: Record<string, string> = { string: 'text', long: 'bigint', double: 'double', boolean: 'boolean', timestamp: 'timestamp' };

/**
 * `write_batch` for the cassandra sink, with the DataStax Python driver (cassandra-driver): an INSERT per row is an
 * upsert on the primary key, so a replayed batch overwrites itself. Generated ids are uuid5 of (query id, batch id,
 * row index) as streamlab's; Spark does not promise the same row order on a replay, so the rows are sorted first.
 */
export function cassandraSink(sink: ComponentConfig, o: Record<string, unknown>, t: Translation): string[] {
  t.packages.add('cassandra-driver');
  for (const v of ['CASSANDRA_CONTACT_POINTS', 'CASSANDRA_LOCAL_DC', 'CASSANDRA_KEYSPACE', 'CASSANDRA_USERNAME', 'CASSANDRA_PASSWORD'])
    t.envVars.add(v);
  const columns = (o.columns as Record<string, string> | undefined) ?? undefined;
  const id = o.id as { column: string } | undefined;
  const create = o.create as { primaryKey: (string | string[])[]; types: Record<string, string> } | undefined;
  const lines = [
    'from cassandra.auth import PlainTextAuthProvider  # noqa: E402  (pip install cassandra-driver)',
    'from cassandra.cluster import Cluster  # noqa: E402',
    'import uuid  # noqa: E402',
    '',
    '# The profile config/cassandra.yaml, read from the same environment variables',
    'CASSANDRA_HOSTS = os.environ.get("CASSANDRA_CONTACT_POINTS", "127.0.0.1:9042").split(",")',
    'KEYSPACE = os.environ.get("CASSANDRA_KEYSPACE", "test")',
    `TABLE = ${py(o.table as string)}`,
    `COLUMNS = ${
      columns
        ? `{${Object.entries(columns)
            .map(([k, v]) => `${py(k)}: ${py(v)}`)
            .join(', ')}}`
        : 'None'
    }  # input column -> table column; None: all, same names`,
    `ID_COLUMN = ${id ? py(id.column) : 'None'}  # id: generate uuid`,
    "# streamlab's namespace for row ids (src/sinks/cassandra/uuid.ts): the same ids for the same query, batch and row",
    'ROW_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://streamlab.dev/cassandra/row-id")',
    '_session = None',
    '',
    '',
    'def cassandra_session():',
    '    global _session',
    '    if _session is None:',
    '        hosts = [h.split(":") for h in CASSANDRA_HOSTS]',
    '        user = os.environ.get("CASSANDRA_USERNAME")',
    '        auth = PlainTextAuthProvider(user, os.environ.get("CASSANDRA_PASSWORD", "")) if user else None',
    '        cluster = Cluster(',
    '            [h[0] for h in hosts], port=int(hosts[0][1]) if len(hosts[0]) > 1 else 9042, auth_provider=auth',
    '        )',
    '        _session = cluster.connect()',
    ...(create ? createStatements(sink, create, columns, id, t) : []),
    '    return _session',
    '',
    '',
    'def query_id():',
    '    """The query id Spark keeps in the checkpoint: part of every generated row id."""',
    '    import json',
    '',
    '    with open(os.path.join(CHECKPOINT_LOCATION, "metadata")) as f:',
    '        return json.loads(f.readline())["id"]',
    '',
    '',
    'def write_batch(batch_df, batch_id):',
    '    """foreachBatch: an INSERT per row is an upsert on the primary key, so a replayed batch overwrites itself."""',
    '    rows = [row.asDict() for row in batch_df.collect()]',
    '    if not rows:',
    '        return',
    '    session = cassandra_session()',
    '    if ID_COLUMN:',
    '        rows.sort(key=repr)  # Spark may hand a replay its rows in another order: sort, then number them',
    '        qid = query_id()',
    '        for index, row in enumerate(rows):',
    '            row[ID_COLUMN] = uuid.uuid5(ROW_ID_NAMESPACE, f"{qid}/{batch_id}/{index}")',
    '    names = {c: c for c in rows[0]} if COLUMNS is None else dict(COLUMNS, **({ID_COLUMN: ID_COLUMN} if ID_COLUMN else {}))',
    '    cql = \'INSERT INTO "{}"."{}" ({}) VALUES ({})\'.format(',
    '        KEYSPACE, TABLE, ", ".join(f\'"{c}"\' for c in names.values()), ", ".join("?" for _ in names)',
    '    )',
    '    insert = session.prepare(cql)',
    '    for row in rows:',
    '        session.execute(insert, [row[c] for c in names])',
  ];
  return lines;
}

function createStatements(
  sink: ComponentConfig,
  create: { primaryKey: (string | string[])[]; types: Record<string, string> },
  columns: Record<string, string> | undefined,
  id: { column: string } | undefined,
  t: Translation,
): string[] {
  const table: [string, string][] = [];
  for (const column of t.sinkSchema) {
    if (columns && !(column.name in columns)) continue;
    const name = columns ? columns[column.name] : column.name;
    const type = create.types[name] ?? CQL_TYPES[column.type];
    if (!type) refuse(sink, `column '${column.name}' (${column.type}) needs a CQL type in create.types`);
    table.push([name, type]);
  }
  if (id) table.push([id.column, create.types[id.column] ?? 'uuid']);
  const [partition, ...clustering] = create.primaryKey;
  const key = [
    Array.isArray(partition) ? `(${partition.map(cqlName).join(', ')})` : cqlName(partition),
    ...clustering.map((c) => cqlName(c as string)),
  ];
  const ddl = `CREATE TABLE IF NOT EXISTS "{KEYSPACE}"."{TABLE}" (${table.map(([n, ty]) => `${cqlName(n)} ${ty}`).join(', ')}, PRIMARY KEY (${key.join(', ')}))`;
  return [
    '        # create: the keyspace and the table when missing, as streamlab does',
    '        _session.execute(',
    `            f"CREATE KEYSPACE IF NOT EXISTS \\"{KEYSPACE}\\" WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': 1}}"`,
    '        )',
    `        _session.execute(f${py(ddl)})`,
  ];
}

function cqlName(name: string): string {
  return `"${name}"`;
}
