import { z } from 'zod';
import { batchSizeOption, durationOption, retryOptions } from '../../component/options.js';
import { secret } from '../../component/secret.js';
import { identifierOption } from '../../connectors/mysql/identifiers.js';

/** StarRocks' own label rule (FeNameFormat.checkLabel): letters, digits, `-`, `_`, `:`, at most 128 characters. */
export const LABEL_PATTERN = /^[-_A-Za-z0-9:]{1,128}$/;

export const StarRocksSinkOptions = z.strictObject({
  mode: z
    .enum(['stream_load', 'insert'])
    .default('stream_load')
    .describe(
      'stream_load: one HTTP Stream Load per batch through the FE (redirected to a BE), labelled so a replay is not loaded twice. insert: INSERT INTO ... VALUES over the MySQL protocol; every INSERT creates a data version, so keep batches large and infrequent.',
    ),
  feHost: z.string().min(1).default('127.0.0.1').describe('Host of a StarRocks frontend (FE).'),
  httpPort: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(8030)
    .describe("The FE's HTTP port (http_port in fe.conf): Stream Load and get_load_state."),
  mysqlPort: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(9030)
    .describe("The FE's MySQL-protocol port (query_port in fe.conf): mode insert and `create`."),
  user: z.string().min(1).default('root').describe('User name; needs INSERT on the table.'),
  password: secret('Password of the user; empty for none. Never printed: errors and logs show ***.').default(''),
  database: identifierOption('Database that holds the table.'),
  table: identifierOption('Table the rows are loaded into.'),
  columns: z
    .record(z.string(), z.string())
    .optional()
    .describe('Table column -> input column, e.g. { ts: timestamp, temperature: temp }. Default: every input column under its own name.'),
  format: z
    .enum(['json', 'csv'])
    .default('json')
    .describe(
      'stream_load body: json (one JSON array of objects, strip_outer_array) or csv (tab-separated, \\N for null; values must not contain tabs or line breaks).',
    ),
  maxFilterRatio: z
    .number()
    .min(0)
    .max(1)
    .default(0)
    .describe('stream_load: the largest share of rows StarRocks may drop as unfit (max_filter_ratio). 0: any unfit row fails the load.'),
  timeout: durationOption(
    'stream_load: how long StarRocks may take for one load (the `timeout` header, in whole seconds, rounded up), e.g. 10m; the client waits that long plus a minute.',
    { default: '10m', positive: true },
  ),
  labelWaitTimeout: durationOption(
    "stream_load: how long to wait, after a restart, for an earlier load under a batch's label that is still open and that the FE would not cancel (whole seconds, rounded up), e.g. 5m; then the job stops with an error naming label, state and FE. Default: timeout + 60s.",
    { positive: true },
  ).optional(),
  properties: z
    .record(z.string(), z.string())
    .default({})
    .describe(
      'stream_load: extra headers sent with every load, e.g. { strict_mode: "true", timezone: "UTC" } (see StarRocks STREAM LOAD).',
    ),
  labelPrefix: z
    .string()
    .regex(/^[-_A-Za-z0-9]{1,60}$/, { message: 'expected letters, digits, - or _, at most 60 characters' })
    .optional()
    .describe('Start of every load label (default: the job name); labels are <prefix>-<query tag>-<batch id>-<part>.'),
  maxBytesPerLoad: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024)
    .describe('stream_load: a batch whose body would be larger is sent as several loads (each with its own label).'),
  batchSize: batchSizeOption('insert: rows per INSERT statement (each one is a StarRocks transaction).', { default: 5000, max: 100_000 }),
  withLabel: z
    .boolean()
    .default(true)
    .describe(
      'insert: INSERT ... WITH LABEL, so a replayed statement is recognised (StarRocks only; set false for other MySQL-protocol servers, which then get at-least-once).',
    ),
  create: z
    .strictObject({
      duplicateKey: z
        .array(z.string().min(1))
        .min(1)
        .describe('DUPLICATE KEY columns (the sort key); they must be the first columns of the table, in this order.'),
      distributedBy: z.array(z.string().min(1)).min(1).describe('DISTRIBUTED BY HASH columns.'),
      buckets: z.number().int().positive().optional().describe('BUCKETS; default: StarRocks chooses.'),
      replicationNum: z
        .number()
        .int()
        .positive()
        .default(1)
        .describe('PROPERTIES("replication_num"): 1 for a single-BE cluster such as the all-in-one image.'),
    })
    .optional()
    .describe(
      'Create the table at start (CREATE TABLE IF NOT EXISTS over the MySQL port) as a duplicate-key table with columns from the input schema.',
    ),
  ...retryOptions({
    after: 'a load failed for a reason that can pass (network, busy server, aborted transaction)',
    giveUp: 'Then the job stops without committing the batch.',
  }),
});

export type StarRocksSinkOptions = z.output<typeof StarRocksSinkOptions>;
