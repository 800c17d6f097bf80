import { defineSink } from '../../component/definition.js';
import { retryPolicy } from '../../component/options.js';
import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import { bindColumns } from '../../connectors/mysql/columns.js';
import { InsertSink } from './insert-sink.js';
import { StarRocksSinkOptions } from './options.js';
import { StreamLoadSink } from './stream-load-sink.js';

export { StarRocksSinkOptions } from './options.js';
export { StreamLoadSink, type StreamLoadSinkConfig } from './stream-load-sink.js';
export { InsertSink, type InsertSinkConfig } from './insert-sink.js';
export { duplicateKeyTableSql, sensorTableSql } from './ddl.js';
export { loadLabel } from './label.js';

/**
 * The `starrocks` sink. Files: options.ts (the schema), stream-load-sink.ts (labels and the replay protocol),
 * stream-load.ts (the two HTTP calls), http.ts (Expect: 100-continue and the FE's redirect), body.ts (JSON/CSV
 * bodies), outcome.ts (what is retried), insert-sink.ts (mode insert over the MySQL protocol), ddl.ts and create.ts
 * (duplicate-key tables), label.ts.
 */
export const starrocksSink = defineSink({
  type: 'starrocks',
  summary: 'StarRocks table via Stream Load (HTTP, labelled per batch so replays are not loaded twice) or INSERT over the MySQL protocol.',
  options: StarRocksSinkOptions,
  examples: [
    {
      feHost: '127.0.0.1',
      database: 'realtime_demo',
      table: 'sensor_data',
      columns: { sensor_id: 'sensor_id', ts: 'timestamp', temperature: 'temperature', humidity: 'humidity' },
    },
    {
      feHost: 'starrocks-fe.example.com',
      httpPort: 8030,
      user: 'loader',
      password: '${STARROCKS_PASSWORD}',
      database: 'realtime_demo',
      table: 'sensor_data',
      format: 'csv',
      maxFilterRatio: 0.01,
      properties: { strict_mode: 'true' },
      create: { duplicateKey: ['sensor_id', 'ts'], distributedBy: ['sensor_id'], replicationNum: 1 },
    },
    { mode: 'insert', mysqlPort: 9030, database: 'realtime_demo', table: 'sensor_data', batchSize: 10000 },
  ],
  create(options, context) {
    const columns = bindColumns(context.input, options.columns, context.location);
    const problems: ConfigProblem[] = [];
    if (options.create) {
      const names = new Set(columns.map((c) => c.table));
      for (const key of ['duplicateKey', 'distributedBy'] as const) {
        const unknown = options.create[key].filter((k) => !names.has(k));
        if (unknown.length) {
          problems.push({
            file: context.location.file,
            path: `${context.location.path}.create.${key}`,
            message: `${unknown.map((k) => `"${k}"`).join(', ')}: not ${unknown.length > 1 ? 'columns' : 'a column'} of the table; its columns are: ${[...names].join(', ')}`,
          });
        }
      }
    }
    if (problems.length) throw new ConfigError(problems);
    const retry = retryPolicy(options);
    const common = {
      feHost: options.feHost,
      httpPort: options.httpPort,
      mysqlPort: options.mysqlPort,
      user: options.user,
      password: options.password,
      database: options.database,
      table: options.table,
      columns,
      labelPrefix: options.labelPrefix,
      create: options.create,
      retry,
    };
    if (options.mode === 'insert') return new InsertSink({ ...common, batchSize: options.batchSize, withLabel: options.withLabel });
    return new StreamLoadSink({
      ...common,
      format: options.format,
      maxFilterRatio: options.maxFilterRatio,
      timeout: Math.ceil(options.timeout / 1000),
      labelWaitTimeout: options.labelWaitTimeout === undefined ? undefined : Math.ceil(options.labelWaitTimeout / 1000),
      properties: options.properties,
      maxBytesPerLoad: options.maxBytesPerLoad,
    });
  },
});
