import { z } from 'zod';
import { batchSizeOption, durationOption } from '../../component/options.js';
import { connectionOptions } from '../../connectors/cassandra/connection-options.js';
import { nameOption } from '../../connectors/cassandra/identifiers.js';

/** Defaults measured with `npm run bench -- cassandra` (docs/cassandra.md, "Throughput"). */
export const DEFAULT_CONCURRENCY = 256;
export const DEFAULT_BATCH_SIZE = 100;

const columnName = z.string().min(1);

/** `[value]`, `[word, id]`, `[[sensor, day], ts]`: CQL's PRIMARY KEY (...) as a YAML list. */
const primaryKey = z
  .array(z.union([columnName, z.array(columnName).min(1)]))
  .min(1)
  .describe(
    "The primary key, as in CQL's PRIMARY KEY (...): the first item is the partition key (a column, or a list of columns for a composite partition key), the others are clustering columns. E.g. [value], [word, id], [[sensor, day], ts]. Table column names (after `columns`).",
  );

const create = z
  .strictObject({
    primaryKey,
    types: z
      .record(columnName, z.string().min(1))
      .default({})
      .describe(
        'CQL types of table columns, where the one inferred from the input is not wanted or cannot be inferred: e.g. { age: int, word: text, tags: "list<text>" }. Inferred: string -> text, long -> bigint, double -> double, boolean -> boolean, timestamp -> timestamp, the generated id -> uuid; array, struct and any columns need one here.',
      ),
    replication: z
      .record(z.string().min(1), z.union([z.string(), z.number()]))
      .default({ class: 'SimpleStrategy', replication_factor: 1 })
      .describe(
        'Replication of the keyspace if it has to be created, as in CQL: { class: SimpleStrategy, replication_factor: 1 } (default, one node) or { class: NetworkTopologyStrategy, datacenter1: 3 }. An existing keyspace is left as it is.',
      ),
  })
  .describe(
    "Create the keyspace and the table when they do not exist (CREATE ... IF NOT EXISTS), with the columns the sink writes. Without it both must exist. Either way the table's columns are checked against the rows at open(), before any write.",
  );

export const CassandraSinkOptions = z
  .strictObject({
    ...connectionOptions,
    table: nameOption('Table the rows are written to, exactly as named in Cassandra (case matters: it is quoted in CQL).'),
    columns: z
      .record(columnName, columnName)
      .optional()
      .describe(
        "Input column -> table column, e.g. { timestamp: ts, value: reading }: only the columns listed are written, under the table's names. Default: every input column, under its own name.",
      ),
    id: z
      .strictObject({
        column: columnName.default('id').describe('Table column that receives the id.'),
        generate: z
          .literal('uuid')
          .describe(
            'uuid: a name-based UUID (version 5) of (query id, batchId, row index in the batch). A replayed batch gets the same ids, so it overwrites its own rows where a random uuid per row would add them again.',
          ),
      })
      .optional()
      .describe("Give every row a generated id, for tables keyed by a uuid (the course's people and wordcount tables)."),
    ttl: durationOption('Time to live of the written values (INSERT ... USING TTL), e.g. 7d; at least 1s. Default: no expiry.', {
      positive: true,
    }).optional(),
    concurrency: z
      .number()
      .int()
      .positive()
      .max(4096)
      .default(DEFAULT_CONCURRENCY)
      .describe(
        "Requests of one micro-batch in flight at once (a prepared INSERT of one row, or an unlogged batch of one partition's rows).",
      ),
    batchSize: batchSizeOption(
      'Rows of one micro-batch that share a partition key are sent together as unlogged batches of at most this many rows (and about 4 KiB of values), one partition per batch: far fewer requests for tables with clustering columns. Rows alone in their partition are sent one by one. 1 sends every row alone.',
      { default: DEFAULT_BATCH_SIZE, max: 1000 },
    ),
    create: create.optional(),
  })
  .describe(
    'Writes each micro-batch with prepared INSERTs (rows of one partition in unlogged batches), many in flight; resolves when every row is acknowledged.',
  );

export type CassandraSinkOptions = z.output<typeof CassandraSinkOptions>;
export type CreateOptions = z.output<typeof create>;
