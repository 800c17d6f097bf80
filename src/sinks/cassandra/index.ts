import { defineSink, type SinkBuildContext } from '../../component/definition.js';
import { formatDuration } from '../../core/duration.js';
import { registerSecret } from '../../core/redact.js';
import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import { bindColumns, type ColumnBinding } from './columns.js';
import { connectionConfig } from '../../connectors/cassandra/connection.js';
import { designTable, type TableDesign } from './ddl.js';
import { CassandraSinkOptions } from './options.js';
import { CassandraSink, type CassandraSinkConfig } from './sink.js';

export { CassandraSinkOptions } from './options.js';
export { CassandraSink } from './sink.js';

/**
 * The `cassandra` sink: the course's foreachBatch to Cassandra. The folder: `options.ts` and
 * `connection-options.ts` (the schema; the connection half is shared with the cassandra source), `columns.ts`
 * (which input column fills which table column), `ddl.ts` (CREATE KEYSPACE/TABLE), `table.ts` (the table's
 * metadata checked against the rows), `cql-types.ts` (what each CQL type can hold, value converters),
 * `uuid.ts` (replay-safe ids), `connection.ts` (client, connect with retries), `errors.ts` (retry decisions and
 * messages), `writer.ts` (concurrent prepared INSERTs), `sink.ts` (open, batches, retries).
 */
export const cassandraSink = defineSink({
  type: 'cassandra',
  summary:
    'Cassandra: prepared INSERTs, many in flight, per micro-batch; replays overwrite (INSERT is an upsert); optional replay-safe uuid ids and table creation.',
  options: CassandraSinkOptions,
  examples: [
    { contactPoints: '127.0.0.1:9042', keyspace: 'test', table: 'seq', create: { primaryKey: ['value'] } },
    {
      contactPoints: ['10.0.0.1', '10.0.0.2:9042'],
      localDataCenter: 'dc1',
      username: 'streamlab',
      password: '${CASSANDRA_PASSWORD}',
      keyspace: 'test',
      table: 'people',
      id: { generate: 'uuid' },
      consistency: 'QUORUM',
    },
    { keyspace: 'test', table: 'readings', columns: { timestamp: 'ts', value: 'reading' }, ttl: '7d', concurrency: 128 },
    {
      keyspace: 'test',
      table: 'wordcount',
      id: { column: 'id', generate: 'uuid' },
      create: { primaryKey: ['word', 'id'], types: { word: 'text' }, replication: { class: 'NetworkTopologyStrategy', datacenter1: 3 } },
    },
  ],
  create: (options, context) => new CassandraSink(resolveConfig(options, context)),
});

/**
 * Options -> the sink's configuration: the columns bound to the input schema, the table design if `create` is set,
 * the password registered with the redactor. Every problem at once, as one ConfigError.
 */
export function resolveConfig(options: CassandraSinkOptions, context: Pick<SinkBuildContext, 'input' | 'location'>): CassandraSinkConfig {
  const { location } = context;
  registerSecret(options.password);
  const problems: ConfigProblem[] = [];
  const collect = <T>(build: () => T): T | undefined => {
    try {
      return build();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const bindings: ColumnBinding[] | undefined = collect(() => bindColumns(context.input, options.columns, options.id?.column, location));
  let design: TableDesign | undefined;
  if (bindings && options.create) design = collect(() => designTable(bindings, options.create!, location));

  let ttlSeconds: number | undefined;
  if (options.ttl !== undefined) {
    const ttl = options.ttl;
    if (ttl % 1000 !== 0 || ttl < 1000 || ttl > 630_720_000_000) {
      problems.push({
        file: location.file,
        path: `${location.path}.ttl`,
        message: `Cassandra keeps TTLs in whole seconds, from 1s to 20 years (7300d); found ${formatDuration(ttl)}`,
      });
    } else ttlSeconds = ttl / 1000;
  }
  if (options.password && !options.username) {
    problems.push({
      file: location.file,
      path: `${location.path}.username`,
      message: 'a password is set but no username; set both, or neither for a cluster without authentication',
    });
  }
  if (problems.length || !bindings) throw new ConfigError(problems);

  return {
    connection: connectionConfig(options),
    keyspace: options.keyspace,
    table: options.table,
    bindings,
    ttlSeconds,
    concurrency: options.concurrency,
    batchSize: options.batchSize,
    ...(design ? { create: { design, replication: options.create!.replication } } : {}),
  };
}
