import { z } from 'zod';
import { defineSource } from '../../component/definition.js';
import { schemaOption } from '../../component/options.js';
import { registerSecret } from '../../core/redact.js';
import { ConfigError } from '../../core/errors.js';
import { connectionOptions } from '../../connectors/cassandra/connection-options.js';
import { connectionConfig } from '../../connectors/cassandra/connection.js';
import { nameOption } from '../../connectors/cassandra/identifiers.js';
import { CassandraSource } from './source.js';

export { CassandraSource } from './source.js';

export const CassandraSourceOptions = z.strictObject({
  ...connectionOptions,
  table: nameOption('Table to read, exactly as named in Cassandra (case matters: it is quoted in CQL).'),
  schema: schemaOption(
    'The columns to read and their types, in order, e.g. `{ id: string, name: string, age: long }` (uuid, inet and text read as string; bigint, int, counter as long; timestamp and date as timestamp; list/set as array, map/udt as struct). Checked against the table at start.',
  ),
  where: z
    .string()
    .min(1)
    .optional()
    .describe(
      'CQL condition after WHERE, e.g. "word = \'spark\'" or "age > 20 ALLOW FILTERING" (Cassandra\'s rules apply: restrict partition key columns, or allow filtering).',
    ),
  fetchSize: z.number().int().positive().max(100_000).default(5000).describe('Rows per page while reading.'),
});

export type CassandraSourceOptions = z.output<typeof CassandraSourceOptions>;

/**
 * The `cassandra` source: reads a table once, so a job (or a test) can read back what a cassandra sink wrote, as the
 * course does with spark.read.format("org.apache.spark.sql.cassandra"). Run it with `trigger: { availableNow: true }`.
 */
export const cassandraSource = defineSource({
  type: 'cassandra',
  summary:
    'Reads a Cassandra table (optionally WHERE ...) once, as one batch: bounded, for availableNow jobs that read back what a sink wrote.',
  options: CassandraSourceOptions,
  examples: [
    { contactPoints: '127.0.0.1:9042', keyspace: 'test', table: 'people', schema: { id: 'string', name: 'string', age: 'long' } },
    { keyspace: 'test', table: 'wordcount', schema: { word: 'string', count: 'long' }, where: "word = 'spark'", consistency: 'ONE' },
  ],
  create(options, context) {
    registerSecret(options.password);
    const schema = Object.entries(options.schema).map(([name, type]) => ({ name, type }));
    if (schema.length === 0) {
      throw ConfigError.single({
        file: context.location.file,
        path: `${context.location.path}.schema`,
        message: 'name at least one column to read, e.g. { id: string }',
      });
    }
    return new CassandraSource({
      connection: { ...connectionConfig(options), fetchSize: options.fetchSize },
      keyspace: options.keyspace,
      table: options.table,
      schema,
      where: options.where,
    });
  },
});
