/**
 * The shape of a bench file (benches/*.yaml), checked before anything connects. Each entry of `sinks` is checked
 * further against its sink's own option schema (bench-file.ts), so a wrong option names the sink's field.
 * schema/bench.schema.json and docs/bench-reference.md are generated from this file.
 */
import { z } from 'zod';
import {
  DEFAULT_BASELINES,
  DEFAULT_BATCH_SIZES,
  DEFAULT_FRESHNESS_SAMPLES,
  DEFAULT_REPEAT,
  DEFAULT_ROWS,
  DEFAULT_WORKLOAD,
} from './defaults.js';

const positiveInt = z.number().int().positive();

export const guaranteeChoices = ['exactly-once', 'none', 'both'] as const;

/** The keys of a sink entry that are the bench's; every other key is an option of the sink. */
export const sinkEntryKeys = ['type', 'profile', 'label', 'sweep'] as const;

export const sinkEntrySchema = z
  .looseObject({
    type: z.string().min(1).describe('The sink type, as in a job (`influxdb`, `mysql`, ...); it must have a bench target.'),
    profile: z.string().min(1).optional().describe("Connection profile in config/<profile>.yaml (default: the target's, e.g. `influxdb`)."),
    label: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.=, -]*$/, 'letters, digits, space and _ . = , - only')
      .optional()
      .describe('Name in the report (default: the sink type, plus `option=value` for each swept option).'),
    sweep: z
      .record(z.string(), z.array(z.unknown()).min(1))
      .optional()
      .describe(
        'Options measured at several values: `{ concurrency: [1, 2, 4] }` gives one configuration per value; ' +
          'several options give every combination.',
      ),
  })
  .describe('A sink to measure: its type, optionally a profile, sink options (as in a job) and a sweep.');

export const benchFileSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, -, _ and . only')
    .optional()
    .describe("The bench's name in the report (default: the file's name)."),
  description: z.string().optional().describe('One line: what this bench answers.'),
  workload: z.string().default(DEFAULT_WORKLOAD).describe('The rows written: `tsbs-cpu`, `sensor` or `wide`.'),
  scale: positiveInt.optional().describe("The workload's scale (tsbs-cpu: hosts); default: the workload's own."),
  rows: positiveInt.default(DEFAULT_ROWS).describe('Measured rows per run; one warm-up batch is written before them.'),
  batchSizes: z
    .array(positiveInt)
    .min(1)
    .default([...DEFAULT_BATCH_SIZES])
    .describe('Rows per batch; each is a configuration.'),
  repeat: positiveInt.default(DEFAULT_REPEAT).describe('Runs of every configuration; sinks are rotated between repeats.'),
  guarantee: z
    .enum(guaranteeChoices)
    .default('exactly-once')
    .describe(
      '`exactly-once`: the sink inside a StreamingQuery with its checkpoint, as in a job; `none`: the sink driven ' +
        'directly; `both`: each configuration both ways.',
    ),
  baselines: z.boolean().default(DEFAULT_BASELINES).describe("Also time each server's own bulk path on the same rows."),
  freshnessSamples: z.number().int().min(0).default(DEFAULT_FRESHNESS_SAMPLES).describe('Read-back polls per run for freshness (0: none).'),
  keep: z.boolean().default(false).describe('Keep the tables, measurements and folders written (default: dropped).'),
  report: z
    .string()
    .min(1)
    .optional()
    .describe('Folder for results.json, report.html and the charts, relative to the working directory (default: out/bench-<date>/).'),
  sinks: z
    .array(z.union([z.string().min(1), sinkEntrySchema]))
    .min(1)
    .describe('The sinks to measure: a sink type, or an entry with options and a sweep.'),
});

export type BenchFile = z.infer<typeof benchFileSchema>;
export type SinkEntry = z.infer<typeof sinkEntrySchema>;
