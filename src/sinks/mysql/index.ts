import { defineSink } from '../../component/definition.js';
import { retryPolicy } from '../../component/options.js';
import { ConfigError } from '../../core/errors.js';
import { bindColumns } from '../../connectors/mysql/columns.js';
import { MySqlSinkOptions } from './options.js';
import { MySqlSink } from './sink.js';

export { MySqlSinkOptions } from './options.js';
export { MySqlSink, type MySqlSinkConfig } from './sink.js';

/**
 * The `mysql` sink: MySQL, MariaDB and other MySQL-protocol databases, on mysql2. One transaction per batch with
 * multi-row INSERTs and a commit-table row, so a replayed batch is skipped (see sink.ts). Files: options.ts (the
 * schema), columns.ts (the `columns` mapping), identifiers.ts (name checks and quoting), values.ts and statements.ts
 * (SQL text), ddl.ts (CREATE TABLE), session.ts (connection setup), errors.ts (messages and what is retried).
 */
export const mysqlSink = defineSink({
  type: 'mysql',
  summary:
    'MySQL / MariaDB table: one transaction per batch with multi-row INSERTs (append or upsert) and a commit table that makes replays exactly-once.',
  options: MySqlSinkOptions,
  examples: [
    { host: '127.0.0.1', port: 3306, user: 'root', database: 'streamlab', table: 'rate', create: { primaryKey: ['value'] } },
    {
      host: 'db.example.com',
      user: 'writer',
      password: '${MYSQL_PASSWORD}',
      database: 'realtime_demo',
      table: 'sensor_data',
      columns: { sensor_id: 'sensor_id', ts: 'timestamp', temperature: 'temperature', humidity: 'humidity' },
      mode: 'upsert',
      batchSize: 5000,
    },
  ],
  create(options, context) {
    const columns = bindColumns(context.input, options.columns, context.location);
    const primaryKey = options.create?.primaryKey;
    if (primaryKey) {
      const names = new Set(columns.map((c) => c.table));
      const unknown = primaryKey.filter((k) => !names.has(k));
      if (unknown.length) {
        throw ConfigError.single({
          file: context.location.file,
          path: `${context.location.path}.create.primaryKey`,
          message: `${unknown.map((k) => `"${k}"`).join(', ')} ${unknown.length > 1 ? 'are not columns' : 'is not a column'} of the table; its columns are: ${[...names].join(', ')}`,
        });
      }
    }
    return new MySqlSink({
      host: options.host,
      port: options.port,
      user: options.user,
      password: options.password,
      database: options.database,
      table: options.table,
      columns,
      mode: options.mode,
      batchSize: options.batchSize,
      createPrimaryKey: primaryKey,
      commitTable: options.commitTable,
      connectTimeout: options.connectTimeout,
      retry: retryPolicy(options),
    });
  },
});
