import type { ComponentConfig } from '../../config/load-job.js';
import { parseTableName, qualifiedName, quoteIdentifier } from '../../connectors/postgres/identifiers.js';
import { createCommitTableSql, createTableSql } from '../../sinks/postgres/ddl.js';
import type { Translation } from './context.js';
import { py, pyValue } from './python.js';
import { refuse } from './refusal.js';
import { LAST_PER_KEY_FUNCTION, QUERY_ID_FUNCTION, sqlValueFunction } from './sink-common.js';

/**
 * `write_batch` for the postgres sink with psycopg 3: the batch's rows and its row in the commit table in one
 * transaction, as streamlab writes them (src/sinks/postgres/sink.ts): a replayed batch finds its commit row and writes
 * nothing. update mode upserts by key, complete mode replaces the table (or the replaceWhere rows), replaceWhere
 * deletes its rows once, in the query's first batch.
 */
export function postgresSink(sink: ComponentConfig, o: Record<string, unknown>, t: Translation): string[] {
  t.packages.add('psycopg[binary]');
  for (const v of ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE']) t.envVars.add(v);
  const table = parseTableName(o.table as string);
  const columns = t.sinkSchema.map((c) => c.name);
  const key = o.key as string[] | undefined;
  if (t.job.outputMode === 'update' && !key) refuse(sink, 'update mode without `key` has no translation yet: name the key columns');
  const upsertKey = t.job.outputMode === 'update' ? key : undefined;
  const create = o.create === false ? undefined : o.create === true ? (upsertKey ?? []) : (o.create as { primaryKey: string[] }).primaryKey;
  const names = columns.map(quoteIdentifier).join(', ');
  const others = columns.filter((c) => !upsertKey?.includes(c));
  const conflict = upsertKey
    ? ` ON CONFLICT (${upsertKey.map(quoteIdentifier).join(', ')}) ${
        others.length
          ? `DO UPDATE SET ${others.map((c) => `${quoteIdentifier(c)} = EXCLUDED.${quoteIdentifier(c)}`).join(', ')}`
          : 'DO NOTHING'
      }`
    : '';
  const commits = qualifiedName({ schema: table.schema, name: o.commitTable as string });
  const replaceWhere = o.replaceWhere as string | undefined;
  return [
    'import datetime  # noqa: E402',
    '',
    'import psycopg  # noqa: E402  (pip install psycopg[binary])',
    '',
    "# The profile config/postgres.yaml, from the same environment variables (libpq's; the password is never in this file)",
    'POSTGRES = {',
    `    "host": os.environ.get("PGHOST", ${py(o.host as string)}),`,
    `    "port": int(os.environ.get("PGPORT", "${o.port}")),`,
    `    "user": os.environ.get("PGUSER", ${py(o.user as string)}),`,
    `    "dbname": os.environ.get("PGDATABASE", ${py(o.database as string)}),`,
    '}',
    `TABLE = ${py(qualifiedName(table))}`,
    `COLUMNS = ${pyValue(columns)}`,
    `KEY = ${pyValue(upsertKey ?? null)}  # update mode: rows are upserted by these columns`,
    `COMMIT_TABLE = ${py(commits)}  # (query id, batch id) of every batch written, in the batch's own transaction`,
    `SETUP_SQL = ${pyValue(o.setupSql ?? null)}  # run once when the sink first connects`,
    `CREATE_TABLE = ${pyValue(create ? createTableSql(table, t.sinkSchema, create) : null)}`,
    `REPLACE_WHERE = ${pyValue(replaceWhere ?? null)}  # deleted by the query's first batch, in its transaction`,
    `INSERT = ${py(`INSERT INTO ${qualifiedName(table)} (${names}) VALUES (${columns.map(() => '%s').join(', ')})${conflict}`)}`,
    '_prepared = False',
    '',
    '',
    ...QUERY_ID_FUNCTION,
    '',
    '',
    ...sqlValueFunction(false),
    '',
    '',
    ...LAST_PER_KEY_FUNCTION,
    '',
    '',
    'def connect():',
    '    global _prepared',
    '    conn = psycopg.connect(password=os.environ.get("PGPASSWORD", ""), **POSTGRES)',
    '    if not _prepared:',
    '        with conn.transaction():',
    '            if SETUP_SQL:',
    '                with open(SETUP_SQL) as f:',
    '                    conn.execute(f.read())',
    '            if CREATE_TABLE:',
    '                conn.execute(CREATE_TABLE)',
    `            conn.execute(${py(createCommitTableSql({ schema: table.schema, name: o.commitTable as string }))})`,
    '        _prepared = True',
    '    return conn',
    '',
    '',
    'def write_batch(batch_df, batch_id):',
    '    """foreachBatch: rows and commit row in one transaction; a replayed batch finds its commit row, writes nothing."""',
    '    rows = [tuple(sql_value(v) for v in row) for row in batch_df.select(*COLUMNS).collect()]',
    '    if KEY:',
    '        rows = last_per_key(rows)',
    '    qid = query_id()',
    '    with connect() as conn, conn.transaction(), conn.cursor() as cur:',
    '        cur.execute(',
    '            f"INSERT INTO {COMMIT_TABLE} (query_id, batch_id, table_name, num_rows) VALUES (%s, %s, %s, %s)"',
    '            " ON CONFLICT (query_id, batch_id) DO NOTHING",',
    `            (qid, batch_id, ${py(table.name)}, len(rows)),`,
    '        )',
    '        if cur.rowcount == 0:',
    '            return  # a replay: this batch is written already',
    '        cur.execute(f"SELECT 1 FROM {COMMIT_TABLE} WHERE query_id = %s AND batch_id <> %s LIMIT 1", (qid, batch_id))',
    '        first = cur.fetchone() is None',
    '        if OUTPUT_MODE == "complete" or (REPLACE_WHERE and first):',
    '            cur.execute(f"DELETE FROM {TABLE}" + (f" WHERE ({REPLACE_WHERE})" if REPLACE_WHERE else ""))',
    '        if rows:',
    '            cur.executemany(INSERT, rows)',
  ];
}
