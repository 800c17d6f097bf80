import { defineSink, type SinkBuildContext } from '../../component/definition.js';
import { retryPolicy } from '../../component/options.js';
import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import { describeSchema } from '../../core/schema.js';
import { IDENTIFIER_HELP, isIdentifier, parseTableName } from '../../connectors/postgres/identifiers.js';
import { PostgresSinkOptions } from './options.js';
import { readSetupSql } from './setup-sql.js';
import { PostgresSink } from './sink.js';

export { PostgresSinkOptions } from './options.js';
export { PostgresSink, type PostgresSinkConfig } from './sink.js';

/**
 * The `postgres` sink: PostgreSQL over pg, each batch one transaction with COPY ... FROM STDIN and a commit-table
 * row, so a replayed batch is skipped (sink.ts). Files: options.ts (the schema), copy-text.ts (COPY's text format),
 * statements.ts (SQL per output mode), ddl.ts (CREATE TABLE), table-check.ts (an existing table against the input),
 * setup-sql.ts and prepare.ts (what open does); connection, types and errors in connectors/postgres/.
 */
export const postgresSink = defineSink({
  type: 'postgres',
  summary:
    'PostgreSQL table: one transaction per batch with COPY (append), an upsert by key (update) or a replacement (complete), and a commit table that makes replays exactly-once.',
  options: PostgresSinkOptions,
  examples: [
    { host: '127.0.0.1', port: 5432, database: 'streamlab', table: 'rate', create: true },
    {
      host: 'db.example.com',
      user: 'writer',
      password: '${PGPASSWORD}',
      database: 'lambda',
      table: 'bytes_hourly',
      create: { primaryKey: ['antenna_id', 'hour'] },
      setupSql: 'sql/lambda.sql',
      replaceWhere: "hour = '${HOUR}'",
    },
  ],
  create(options, context) {
    const problems: ConfigProblem[] = [];
    const problem = (path: string, message: string) =>
      problems.push({ file: context.location.file, path: `${context.location.path}.${path}`, message });
    const names = context.input.map((c) => c.name);
    if (names.length === 0) problem('table', 'the input has no columns to write');
    for (const name of names.filter((n) => !isIdentifier(n)))
      problem(
        'table',
        `the input column "${name}" is not ${IDENTIFIER_HELP}; rename it with a select before the sink, e.g. select: { my_name: "${name}" }`,
      );
    const unknown = (path: string, list: readonly string[] | undefined) => {
      const missing = (list ?? []).filter((k) => !names.includes(k));
      if (missing.length)
        problem(
          path,
          `${missing.map((k) => `"${k}"`).join(', ')} ${missing.length > 1 ? 'are not input columns' : 'is not an input column'}; the input has: ${describeSchema(context.input)}`,
        );
    };
    unknown('key', options.key);
    if (typeof options.create === 'object') unknown('create.primaryKey', options.create.primaryKey);
    const key = options.key ?? groupingKey(context, problem);
    if (context.outputMode === 'update' && !key && !problems.length)
      problem(
        'key',
        'update output mode writes rows by their key, and the job has no groupBy to take it from: name the columns that identify a row, e.g. key: [id]',
      );
    const setupSql = options.setupSql === undefined ? undefined : readSetupSql(options.setupSql, context.location);
    if (problems.length) throw new ConfigError(problems);
    const create = options.create === false ? undefined : options.create === true ? 'key' : options.create.primaryKey;
    return new PostgresSink({
      connection: {
        host: options.host,
        port: options.port,
        user: options.user,
        password: options.password,
        database: options.database,
        connectTimeout: options.connectTimeout,
      },
      table: parseTableName(options.table),
      columns: context.input,
      create,
      key,
      setupSql,
      replaceWhere: options.replaceWhere,
      batchSize: options.batchSize,
      commitTable: options.commitTable,
      retry: retryPolicy(options),
    });
  },
});

/** The groupBy's keys as the update-mode key, when the sink's input still has them (a select may have renamed one). */
function groupingKey(context: SinkBuildContext, problem: (path: string, message: string) => void): string[] | undefined {
  const keys = context.groupingKeys;
  if (!keys?.length || context.outputMode !== 'update') return undefined;
  const missing = keys.filter((k) => !context.input.some((c) => c.name === k));
  if (missing.length === 0) return [...keys];
  problem(
    'key',
    `update output mode upserts by the groupBy's keys (${keys.join(', ')}), but the sink's input has no ${missing.join(', ')}: name the key columns the input has, e.g. key: [${context.input
      .slice(0, 2)
      .map((c) => c.name)
      .join(', ')}]`,
  );
  return undefined;
}
