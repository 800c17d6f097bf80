import { z } from 'zod';
import { defineSource } from '../../component/definition.js';
import { tableColumns } from '../../component/table-columns.js';
import { durationOption, schemaOption } from '../../component/options.js';
import { secret } from '../../component/secret.js';
import { IDENTIFIER_HELP, identifierOption, isIdentifier } from '../../connectors/mysql/identifiers.js';
import { registerSecret } from '../../core/redact.js';
import { MySqlTableSource } from './source.js';

export { MySqlTableSource } from './source.js';

export const MySqlSourceOptions = z.strictObject({
  host: z.string().min(1).default('127.0.0.1').describe('Server host name or address.'),
  port: z.number().int().min(1).max(65535).default(3306).describe('Server port (MySQL and MariaDB: 3306).'),
  user: z.string().min(1).default('root').describe('User name.'),
  password: secret('Password of the user; empty for none. Never printed: errors and logs show ***.').default(''),
  database: identifierOption('Database (schema) that holds the table.'),
  connectTimeout: durationOption('How long to wait for a connection.', { default: '10s', positive: true }),
  table: identifierOption('Table (or view) to read.'),
  schema: schemaOption(
    'The columns to read and their types, in order, e.g. `{ id: string, quota: long }`; checked against the table when the source opens (integer types read as long; double, float, decimal as double; char, varchar, text, enum as string; tinyint(1) as boolean; datetime, timestamp, date as timestamp; json, or text holding JSON, as array or struct).',
  ),
});

/** The `mysql` source: a MySQL or MariaDB table read once, mostly as the static side of a stream-static join. */
export const mysqlSource = defineSource({
  type: 'mysql',
  summary: 'Reads a MySQL / MariaDB table once, as one batch: the static side of a join, or an availableNow job. Bounded.',
  options: MySqlSourceOptions,
  examples: [{ database: 'streamlab', table: 'user_metadata', schema: { id: 'string', name: 'string', quota: 'long' } }],
  create(o, context) {
    registerSecret(o.password);
    const schema = tableColumns(o.schema, context.location, { test: isIdentifier, help: IDENTIFIER_HELP });
    return new MySqlTableSource(o, o.table, schema);
  },
});
