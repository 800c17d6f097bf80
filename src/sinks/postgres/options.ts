import { z } from 'zod';
import { batchSizeOption, retryOptions } from '../../component/options.js';
import { postgresConnectionOptions } from '../../connectors/postgres/connection-options.js';
import { IDENTIFIER_HELP, IDENTIFIER_PATTERN, tableOption } from '../../connectors/postgres/identifiers.js';

const columnName = z.string().regex(IDENTIFIER_PATTERN, { message: `expected ${IDENTIFIER_HELP}` });

export const PostgresSinkOptions = z.strictObject({
  ...postgresConnectionOptions,
  table: tableOption(
    'Table the rows are written to: `name` (in schema public) or `schema.name`. Input columns go to the table columns of the same name.',
  ),
  create: z
    .union([
      z.boolean(),
      z.strictObject({
        primaryKey: z.array(columnName).min(1).describe('Columns of the primary key.'),
      }),
    ])
    .default(false)
    .describe(
      'Create the table when it does not exist (CREATE TABLE IF NOT EXISTS), with column types from the input schema (docs/postgres.md). true: the primary key is the update-mode key, none in append and complete mode; { primaryKey: [...] } names it. false: the table must exist, and its columns are checked against the input.',
    ),
  key: z
    .array(columnName)
    .min(1)
    .optional()
    .describe(
      "Columns that identify a row in update output mode: each batch's rows are upserted (INSERT ... ON CONFLICT (key) DO UPDATE). Default: the grouping columns of the job's groupBy, as Spark's update mode means. The table needs a primary key or unique constraint on exactly these columns.",
    ),
  setupSql: z
    .string()
    .min(1)
    .optional()
    .describe(
      'A .sql file (relative to the project folder: the folder holding jobs/) run once when the sink opens, in one transaction, before the table is checked: tables, views and indexes the job needs. Make it idempotent (CREATE ... IF NOT EXISTS, CREATE OR REPLACE VIEW): it runs on every start.',
    ),
  replaceWhere: z
    .string()
    .min(1)
    .optional()
    .describe(
      "An SQL condition on the table's columns (Delta Lake's replaceWhere), e.g. \"hour = '${HOUR}'\": the query's first batch deletes the rows matching it in the same transaction as its insert, so running a batch job again for the same hour replaces that hour's rows instead of adding them twice. In complete mode every batch replaces the matching rows (without it, the whole table).",
    ),
  batchSize: batchSizeOption('Rows per COPY statement; a batch is sent as one or more COPY statements, all in one transaction.', {
    default: 100_000,
    max: 10_000_000,
  }),
  commitTable: z
    .string()
    .regex(IDENTIFIER_PATTERN, { message: `expected ${IDENTIFIER_HELP}` })
    .default('streamlab_commits')
    .describe(
      "Table, in the target table's schema, where the sink records each (query id, batch id) it wrote, in the same transaction as the rows: a replayed batch finds its row and writes nothing. Created if missing.",
    ),
  ...retryOptions({
    after:
      'a lost or refused connection, a server shutting down or full, a deadlock or a serialization failure (other errors are not retried)',
    giveUp:
      'The batch is one transaction, so a retry writes it whole or finds it written. Then the job stops without committing the batch; restarted, it writes the batch again.',
  }),
});

export type PostgresSinkOptions = z.output<typeof PostgresSinkOptions>;
