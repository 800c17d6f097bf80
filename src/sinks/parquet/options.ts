import { z } from 'zod';
import { TIME_GRANULARITIES } from './partition.js';

export const TimePartition = z
  .strictObject({
    time: z.string().min(1).describe('A timestamp column of the input; its UTC date gives the partition folders.'),
    granularity: z
      .enum(TIME_GRANULARITIES)
      .default('hour')
      .describe(
        'The finest folder level: `year` gives year=2026/, `month` adds month=11/, `day` adds day=23/, `hour` adds hour=09/ (UTC, zero-padded, as Spark writes them).',
      ),
  })
  .describe('A time partition: year=/month=/day=/hour= folders derived from a timestamp column, which stays in the files.');

export const ParquetSinkOptions = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .describe(
        'Directory of the table (created if missing; relative to the working directory). Spark and pyarrow read it as a partitioned Parquet dataset.',
      ),
    partitionBy: z
      .array(z.union([z.string().min(1).describe('A string, long or boolean column: gives col=value/ folders.'), TimePartition]))
      .default([])
      .describe(
        'Hive-style partition folders, outermost first: a column name gives col=value/ (the column is then not repeated inside the files, as in Spark); { time: col, granularity: hour } gives year=/month=/day=/hour=/ from a timestamp.',
      ),
    compression: z
      .enum(['snappy', 'gzip', 'uncompressed'])
      .default('snappy')
      .describe("Compression codec of the column chunks; snappy is Spark's default, gzip is smaller and slower."),
    rowGroupSize: z
      .number()
      .int()
      .positive()
      .default(100_000)
      .describe('Rows per row group (the unit readers skip or read in parallel); a batch smaller than this gives one group per file.'),
    maxRowsPerFile: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "Split a partition of one batch into several files of at most this many rows (Spark's maxRecordsPerFile); unset: one file per batch and partition.",
      ),
  })
  .describe('Writes each micro-batch as Parquet files, one per partition, named by batch id.');

export type ParquetSinkOptions = z.output<typeof ParquetSinkOptions>;
export type TimePartition = z.output<typeof TimePartition>;
