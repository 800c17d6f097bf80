import { z } from 'zod';
import { durationOption } from '../component/options.js';
import { badRecordPolicies } from '../core/bad-records.js';

/**
 * The top level of a job file. Components (`source`, each operator, `sink`) are checked here only for their shape;
 * their options are checked against their own schemas, so a problem names the component's field.
 */
export const componentReference = z.looseObject({
  type: z.string().min(1).describe('The component type, e.g. `rate` or `influxdb`.'),
  profile: z
    .string()
    .min(1)
    .optional()
    .describe('Name of a connection profile in config/<profile>.yaml whose options this component starts from.'),
});

export const triggerSchema = z
  .union([
    z.strictObject({
      processingTime: durationOption(
        'Start a batch at every multiple of this interval; an overrunning batch is followed at once by the next, without catch-up.',
      ),
    }),
    z.strictObject({
      availableNow: z
        .literal(true)
        .describe('Process everything available when the job starts, in batches of at most maxRowsPerBatch, then stop.'),
    }),
  ])
  .describe('When batches run (Spark: trigger). Omitted: as soon as the previous batch committed and new data is there.');

export const outputModes = ['append', 'update', 'complete'] as const;

export const jobSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, -, _ and . only')
    .describe("The job's name; also the query name in progress and the default checkpoint folder."),
  description: z.string().optional().describe('One line shown by `streamlab list`.'),
  source: componentReference.describe('Where rows come from.'),
  operators: z
    .array(z.record(z.string(), z.unknown()))
    .default([])
    .describe('Transformations, applied in order; each item has one key, the operator type.'),
  sink: componentReference.describe('Where each batch is written (foreachBatch).'),
  trigger: triggerSchema.optional(),
  batch: z
    .boolean()
    .default(false)
    .describe(
      'A batch job (Spark: spark.read ... write): every run starts from nothing, with a checkpoint of its own that is deleted when the run ends, so running it again recomputes everything its source has (e.g. one hour of a lake, `--hour`) instead of finding nothing new. Needs trigger: { availableNow: true }.',
    ),
  outputMode: z.enum(outputModes).default('append').describe('Which rows of the result each batch writes (Spark: outputMode).'),
  checkpointLocation: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Directory of the offsets and commit logs; default `.checkpoints/<name>`. A relative path is relative to the job's project folder (the folder holding its `jobs/` folder), not to the working directory.",
    ),
  maxRowsPerBatch: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      'Upper bound on rows per batch (Spark: maxOffsetsPerTrigger), honoured by rate (whole seconds, at least one), sine, rate-micro-batch, sensor (whole ticks; rows exactly with `rows`), tsbs-cpu, wide, socket and system. The file source counts files instead (maxFilesPerBatch).',
    ),
  cores: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      "Threads a stateless stage (consecutive filter, withColumn, triangle, select, drop) may use on a big columnar batch (Spark's local[N]): the main thread and cores - 1 worker threads, each over a slice; same rows, same order. Default 1 (no worker threads): on 2-core machines two threads have not measured faster yet (docs/parallel.md). `streamlab run --cores N` overrides it.",
    ),
  onBadRecord: z
    .enum(badRecordPolicies)
    .default('fail')
    .describe(
      'A record the source cannot read (malformed line, value not of its column type) or the sink cannot write (NaN into MySQL): ' +
        'fail stops the batch naming where (Spark: FAILFAST); skip leaves it out and counts it (Spark: DROPMALFORMED); ' +
        'deadLetter also writes it, with the reason, its position and the batch id, to deadLetterPath (Databricks: badRecordsPath).',
    ),
  multipleWatermarkPolicy: z
    .enum(['min', 'max'])
    .default('min')
    .describe(
      "How a query with several withWatermark (one per union branch) picks its watermark (Spark: spark.sql.streaming.multipleWatermarkPolicy): min follows the slowest stream, so none of its rows are late because another stream ran ahead; max follows the fastest and drops the slower streams' rows behind it. Recorded in the checkpoint (offsets/N conf); a restart keeps the recorded one.",
    ),
  deadLetterPath: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Directory of the dead letters (onBadRecord: deadLetter), one JSON Lines file per batch id; relative to the working directory, like the output paths of sinks; default `<checkpointLocation>/deadLetters`.',
    ),
});
