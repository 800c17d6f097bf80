import type { ComponentConfig } from '../../config/load-job.js';
import { bindColumns } from '../../connectors/mysql/columns.js';
import { quoteIdentifier } from '../../connectors/mysql/identifiers.js';
import { dottedPath } from '../../config/yaml-file.js';
import { createCommitTableSql, createTableSql } from '../../sinks/mysql/ddl.js';
import type { Translation } from './context.js';
import { py, pyValue } from './python.js';
import { QUERY_ID_FUNCTION, sqlValueFunction } from './sink-common.js';

/** The database in the DDL text, replaced at run time by MYSQL_DATABASE's (or the job's) database. */
const PLACEHOLDER = 'streamlab_database';

/**
 * `write_batch` for the mysql sink with PyMySQL: the batch's rows and its row in the commit table in one transaction,
 * as streamlab writes them (src/sinks/mysql/sink.ts): a replayed batch finds its commit row and writes nothing.
 */
export function mysqlSink(sink: ComponentConfig, o: Record<string, unknown>, t: Translation): string[] {
  t.packages.add('PyMySQL');
  for (const v of ['MYSQL_HOST', 'MYSQL_PORT', 'MYSQL_USER', 'MYSQL_PASSWORD', 'MYSQL_DATABASE']) t.envVars.add(v);
  const where = { file: sink.yaml.file, path: dottedPath(sink.path) };
  const bindings = bindColumns(t.sinkSchema, o.columns as Record<string, string> | undefined, where);
  const database = o.database as string;
  const table = o.table as string;
  const create = o.create as { primaryKey: string[] } | undefined;
  const names = bindings.map((b) => quoteIdentifier(b.table)).join(', ');
  const upsert =
    o.mode === 'upsert'
      ? ` ON DUPLICATE KEY UPDATE ${bindings.map((b) => `${quoteIdentifier(b.table)} = VALUES(${quoteIdentifier(b.table)})`).join(', ')}`
      : '';
  return [
    'import datetime  # noqa: E402',
    '',
    'import pymysql  # noqa: E402  (pip install PyMySQL)',
    '',
    '# The profile config/mysql.yaml, from the same environment variables (the password is never in this file)',
    'MYSQL = {',
    `    "host": os.environ.get("MYSQL_HOST", ${py(o.host as string)}),`,
    `    "port": int(os.environ.get("MYSQL_PORT", "${o.port}")),`,
    `    "user": os.environ.get("MYSQL_USER", ${py(o.user as string)}),`,
    '}',
    `DATABASE = os.environ.get("MYSQL_DATABASE", ${py(database)})`,
    `TABLE = ${py(table)}`,
    `SOURCE_COLUMNS = ${pyValue(bindings.map((b) => b.source))}  # input columns, in the order of the table columns below`,
    `INSERT = ${py(`INSERT INTO {} (${names}) VALUES (${bindings.map(() => '%s').join(', ')})${upsert}`)}`,
    `CREATE_TABLE = ${pyValue(create ? createTableSql(PLACEHOLDER, table, bindings, create.primaryKey) : null)}`,
    `COMMIT_TABLE = ${py(o.commitTable as string)}  # (query id, batch id) of every batch written, in its own transaction`,
    `CREATE_COMMIT_TABLE = ${py(createCommitTableSql(PLACEHOLDER, o.commitTable as string))}`,
    '_prepared = False',
    '',
    '',
    ...QUERY_ID_FUNCTION,
    '',
    '',
    ...sqlValueFunction(true),
    '',
    '',
    'def qualified(name):',
    '    return "`{}`.`{}`".format(DATABASE.replace("`", "``"), name)',
    '',
    '',
    'def with_database(ddl):',
    `    return ddl.replace(${py(`\`${PLACEHOLDER}\`.`)}, qualified("")[:-2])`,
    '',
    '',
    'def connect():',
    '    global _prepared',
    '    conn = pymysql.connect(password=os.environ.get("MYSQL_PASSWORD", ""), autocommit=False, **MYSQL)',
    '    if not _prepared:',
    '        with conn.cursor() as cur:',
    '            if CREATE_TABLE:',
    '                cur.execute(with_database(CREATE_TABLE))',
    '            cur.execute(with_database(CREATE_COMMIT_TABLE))',
    '        _prepared = True',
    '    return conn',
    '',
    '',
    'def write_batch(batch_df, batch_id):',
    '    """foreachBatch: rows and commit row in one transaction; a replayed batch finds its commit row, writes nothing."""',
    '    rows = [tuple(sql_value(v) for v in row) for row in batch_df.select(*SOURCE_COLUMNS).collect()]',
    '    qid = query_id()',
    '    conn = connect()',
    '    try:',
    '        with conn.cursor() as cur:',
    '            conn.begin()',
    '            cur.execute(',
    '                f"SELECT num_rows FROM {qualified(COMMIT_TABLE)} WHERE query_id = %s AND batch_id = %s FOR UPDATE",',
    '                (qid, batch_id),',
    '            )',
    '            if cur.fetchone() is not None:',
    '                conn.rollback()',
    '                return  # a replay: this batch is written already',
    '            cur.execute(',
    '                f"INSERT INTO {qualified(COMMIT_TABLE)} (query_id, batch_id, table_name, num_rows) VALUES (%s, %s, %s, %s)",',
    '                (qid, batch_id, TABLE, len(rows)),',
    '            )',
    '            if rows:',
    '                cur.executemany(INSERT.format(qualified(TABLE)), rows)',
    '        conn.commit()',
    '    except BaseException:',
    '        conn.rollback()',
    '        raise',
    '    finally:',
    '        conn.close()',
  ];
}
