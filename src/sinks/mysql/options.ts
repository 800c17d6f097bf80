import { z } from 'zod';
import { batchSizeOption, durationOption, retryOptions } from '../../component/options.js';
import { secret } from '../../component/secret.js';
import { identifierOption } from '../../connectors/mysql/identifiers.js';

export const MySqlSinkOptions = z.strictObject({
  host: z.string().min(1).default('127.0.0.1').describe('Server host name or address.'),
  port: z.number().int().min(1).max(65535).default(3306).describe('Server port (MySQL and MariaDB: 3306).'),
  user: z.string().min(1).default('root').describe('User name.'),
  password: secret('Password of the user; empty for none. Never printed: errors and logs show ***.').default(''),
  database: identifierOption('Database (schema) that holds the table; it must exist.'),
  table: identifierOption('Table the rows are written to.'),
  columns: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      'Table column -> input column, in table order, e.g. { ts: timestamp, reading: value }. Default: every input column under its own name.',
    ),
  mode: z
    .enum(['append', 'upsert'])
    .default('append')
    .describe(
      'append: INSERT only (a row whose key exists is an error). upsert: INSERT ... ON DUPLICATE KEY UPDATE, so a row whose primary or unique key exists replaces the stored values.',
    ),
  batchSize: batchSizeOption(
    "Rows per INSERT statement. A batch is split into statements of at most this many rows (and at most a quarter of the server's max_allowed_packet), all in one transaction.",
    { default: 2000, max: 100_000 },
  ),
  create: z
    .strictObject({
      primaryKey: z.array(z.string().min(1)).min(1).describe('Table columns of the primary key (after the `columns` mapping).'),
    })
    .optional()
    .describe(
      'Create the table when it does not exist (CREATE TABLE IF NOT EXISTS), with column types derived from the input schema. Without it the table must exist.',
    ),
  commitTable: identifierOption(
    'Table, in the same database, where the sink records each (query id, batch id) it wrote, in the same transaction as the rows; created if missing.',
  ).default('streamlab_commits'),
  connectTimeout: durationOption('How long to wait for a connection.', { default: '10s', positive: true }),
  ...retryOptions({
    after: 'a lost connection, a deadlock or a lock wait timeout (other errors are not retried)',
    giveUp: 'Then the job stops without committing the batch; restarted, it writes the batch again.',
  }),
});

export type MySqlSinkOptions = z.output<typeof MySqlSinkOptions>;
