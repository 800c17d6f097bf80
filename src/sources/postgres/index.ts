import { z } from 'zod';
import { defineSource } from '../../component/definition.js';
import { tableColumns } from '../../component/table-columns.js';
import { schemaOption } from '../../component/options.js';
import { postgresConnectionOptions } from '../../connectors/postgres/connection-options.js';
import { IDENTIFIER_HELP, isIdentifier, parseTableName, tableOption } from '../../connectors/postgres/identifiers.js';
import { registerSecret } from '../../core/redact.js';
import { PostgresTableSource } from './source.js';

export { PostgresTableSource } from './source.js';

export const PostgresSourceOptions = z.strictObject({
  ...postgresConnectionOptions,
  table: tableOption('Table (or view) to read: `user_metadata` (schema public) or `schema.table`.'),
  schema: schemaOption(
    'The columns to read and their types, in order, e.g. `{ id: string, name: string, quota: long }`; checked against the table when the source opens (text, varchar, uuid read as string; bigint, integer, smallint as long; double precision, real, numeric as double; timestamptz, timestamp, date as timestamp; json/jsonb as any, array or struct; arrays as array).',
  ),
});

/**
 * The `postgres` source: a PostgreSQL table read once (Spark: spark.read.jdbc), mostly as the static side of a
 * stream-static join: `join: { with: { type: postgres, profile: postgres, table: user_metadata, schema: {...} } }`.
 */
export const postgresSource = defineSource({
  type: 'postgres',
  summary: 'Reads a PostgreSQL table once, as one batch: the static side of a join (user metadata), or an availableNow job. Bounded.',
  options: PostgresSourceOptions,
  examples: [
    { database: 'streamlab', table: 'user_metadata', schema: { id: 'string', name: 'string', email: 'string', quota: 'long' } },
    { host: '127.0.0.1', port: 5433, database: 'streamlab', table: 'public.antennas', schema: { antenna_id: 'string', city: 'string' } },
  ],
  create(o, context) {
    registerSecret(o.password);
    const schema = tableColumns(o.schema, context.location, { test: isIdentifier, help: IDENTIFIER_HELP });
    return new PostgresTableSource(o, parseTableName(o.table), schema);
  },
});
