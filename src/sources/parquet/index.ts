import { z } from 'zod';
import { defineSource } from '../../component/definition.js';
import { durationOption, schemaOption } from '../../component/options.js';
import { ConfigError } from '../../core/errors.js';
import { hourPartitions, type PartitionLiteral } from './pruning.js';
import { ParquetSource } from './source.js';

export { ParquetSource } from './source.js';

const literal = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ParquetSourceOptions = z.strictObject({
  path: z
    .string()
    .min(1)
    .describe(
      "Folder of the Parquet table (relative to the working directory), e.g. what the parquet sink writes. Every file below it is data except names starting with `_` or `.` (Spark's rule), so a foreign file there is an error unless ignoreCorruptFiles.",
    ),
  schema: schemaOption(
    'Columns and their types, in order (Spark requires a schema for a streaming file source). A column named like a partition folder (year, month, day, hour, sensor...) takes its value from the folder, converted to the declared type (hour=09 is 9 as a long); the others are read from the files by name, null where a file lacks them.',
  ),
  partitions: z
    .record(z.string(), z.union([literal, z.array(literal).min(1)]))
    .default({})
    .describe(
      'Partition pruning: read only the folders whose values are these, e.g. `{ year: 2026, month: 11, day: 30, hour: 13 }` or `{ sensor: [a, b] }`; other folders are not even listed. A name that is not a partition folder of the table is an error (it would prune nothing).',
    ),
  hour: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/, 'expected an hour as YYYY-MM-DDTHH (UTC), e.g. 2026-11-30T13')
    .optional()
    .describe(
      "Read one UTC hour of a table partitioned year=/month=/day=/hour= (the parquet sink's time partition): `2026-11-30T13`, or `${HOUR}` set by `streamlab run <job> --hour 2026-11-30T13`. Shorthand for partitions { year, month, day, hour }.",
    ),
  maxFilesPerBatch: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('At most this many new files per batch, oldest first (Spark: maxFilesPerTrigger).'),
  maxFileAge: durationOption(
    "Files older than this before the newest file seen are forgotten and never taken as new (Spark's maxFileAge, default 7 days); what a first batch finds is read whatever its age.",
    { default: '7 days' },
  ),
  ignoreCorruptFiles: z
    .boolean()
    .default(false)
    .describe(
      "Skip a file that is not Parquet or does not fit the schema, with a warning naming it (Spark's ignoreCorruptFiles); default: the batch fails naming the file.",
    ),
});

export type ParquetSourceOptions = z.output<typeof ParquetSourceOptions>;

/**
 * The `parquet` source: a Parquet table (a lake partitioned by hour, as the parquet sink writes it) read as Spark's
 * file source reads it: new files as they appear, partition folders as columns, only the wanted partitions listed.
 * With `trigger: { availableNow: true }` it reads what is there and stops: a batch job.
 */
export const parquetSource = defineSource({
  type: 'parquet',
  summary:
    'New Parquet files in a (partitioned) table folder, partition folders as columns, pruned by partitions/hour (Spark: readStream.parquet). Replayable.',
  options: ParquetSourceOptions,
  examples: [
    {
      path: 'data/lake/devices',
      schema: { timestamp: 'timestamp', id: 'string', bytes: 'long', year: 'long', month: 'long', day: 'long', hour: 'long' },
    },
    { path: 'data/lake/devices', schema: { timestamp: 'timestamp', id: 'string', bytes: 'long' }, hour: '2026-11-30T13' },
    {
      path: 'data/lake/sensors',
      schema: { time: 'timestamp', sensor: 'string', reading: 'double' },
      partitions: { sensor: ['s1', 's2'] },
      maxFilesPerBatch: 10,
      ignoreCorruptFiles: true,
    },
  ],
  create(o, context) {
    const schema = Object.entries(o.schema).map(([name, type]) => ({ name, type }));
    const partitions: Record<string, PartitionLiteral | PartitionLiteral[]> = { ...o.partitions };
    if (o.hour !== undefined) {
      const clash = Object.keys(hourPartitions(o.hour)).filter((k) => k in partitions);
      if (clash.length > 0) {
        throw ConfigError.single({
          file: context.location.file,
          path: `${context.location.path}.hour`,
          message: `hour sets the folders year, month, day and hour; partitions names ${clash.join(', ')} too: keep one of them`,
        });
      }
      Object.assign(partitions, hourPartitions(o.hour));
    }
    if (schema.length === 0) {
      throw ConfigError.single({
        file: context.location.file,
        path: `${context.location.path}.schema`,
        message: 'name at least one column',
      });
    }
    return new ParquetSource({
      path: o.path,
      schema,
      partitions,
      maxFilesPerBatch: o.maxFilesPerBatch,
      maxFileAgeMs: o.maxFileAge,
      ignoreCorruptFiles: o.ignoreCorruptFiles,
    });
  },
  offsetIdentity: (o) => ({ path: o.path }),
});
