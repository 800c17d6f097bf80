/**
 * results.json, version 1: what one `streamlab bench` measured, with every raw sample, so a report can be redrawn
 * and two runs compared (`streamlab bench compare`). The JSON Schema in schema/bench-results.schema.json is
 * generated from this file; a change that breaks readers bumps `schemaVersion`.
 */
import { z } from 'zod';

const spread = z.strictObject({ median: z.number(), min: z.number(), max: z.number() });

export const machineSchema = z.strictObject({
  cpu: z.string().describe('CPU model, e.g. "AMD EPYC 7B13"'),
  cores: z.number().int().describe('Logical cores'),
  physicalCores: z.number().int(),
  memoryBytes: z.number(),
  os: z.string().describe('Distribution, release and kernel, e.g. "Debian GNU/Linux 12 (bookworm), kernel 6.1.0"'),
  arch: z.string(),
});

export const verificationSchema = z.strictObject({
  expectedRows: z.number().int(),
  expectedChecksum: z.number(),
  rows: z.number().int().describe('Rows read back from the server after the run'),
  checksum: z.number().describe('Sum of the checksum column read back'),
  ok: z.boolean(),
  message: z.string().optional().describe('What was lost or doubled, when not ok'),
});

export const resourceSchema = z.strictObject({
  cpuSeconds: z.number().describe('User + system CPU time used during the run'),
  peakRssBytes: z.number().describe('Largest resident set size sampled during the run'),
});

export const runSchema = z.strictObject({
  target: z.string().describe('The configuration measured: the sink name plus any swept option, e.g. "influxdb concurrency=4"'),
  sink: z.string().describe('Sink type'),
  writer: z.enum(['sink', 'baseline']).describe("streamlab's sink, or the server's own bulk path on the same rows"),
  baseline: z.string().optional().describe('Name of the bulk path, for writer "baseline"'),
  batchSize: z.number().int(),
  guarantee: z.enum(['exactly-once', 'none']),
  repeat: z.number().int().describe('Repeat index, from 0'),
  order: z.number().int().describe('Position of this run in its repeat (sinks are rotated between repeats)'),
  startedAt: z.string(),
  rows: z.number().int().describe('Rows measured (the warm-up batch excluded)'),
  bytes: z.number().describe('Size of the measured rows as CSV text: the same figure for every sink'),
  seconds: z.number().describe('Wall time of the measured batches'),
  rowsPerSecond: z.number(),
  mbPerSecond: z.number().describe('bytes / seconds / 1e6'),
  batchLatencyMs: z.array(z.number()).describe('Write time of every measured batch (addBatch for the sink)'),
  freshnessMs: z.array(z.number()).describe("Sampled: from a batch's start until a read-back query saw all its rows"),
  client: resourceSchema,
  server: resourceSchema
    .extend({ pids: z.array(z.number().int()) })
    .nullable()
    .describe('null when no local PID is known'),
  diskBytes: z.number().nullable().describe('Bytes the destination holds on disk after the run, null when unknown'),
  verification: verificationSchema,
  error: z.string().optional().describe('Why the run stopped, when it failed'),
});

export const summarySchema = z.strictObject({
  target: z.string(),
  sink: z.string(),
  writer: z.enum(['sink', 'baseline']),
  batchSize: z.number().int(),
  guarantee: z.enum(['exactly-once', 'none']),
  runs: z.number().int(),
  rowsPerSecond: spread,
  mbPerSecond: spread,
  latencyMs: z.strictObject({ p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() }),
  freshnessMs: z.strictObject({ p50: z.number(), max: z.number() }).nullable(),
  ofBaseline: z.number().nullable().describe('Median rows/s of the sink / median rows/s of the baseline, same batch size'),
  diskBytes: z.number().nullable().describe('Median over repeats'),
  verified: z.boolean().describe('Every run of this configuration read back exactly what was written'),
});

export const resultsSchema = z.strictObject({
  schemaVersion: z.literal(1),
  partial: z.boolean().describe('true when the bench was interrupted (Ctrl-C) or a run failed: not every configuration ran'),
  startedAt: z.string(),
  finishedAt: z.string(),
  versions: z.strictObject({ streamlab: z.string(), node: z.string() }),
  machine: machineSchema,
  config: z.strictObject({
    name: z.string().optional().describe("The bench file's name, when run from one"),
    workload: z.strictObject({ name: z.string(), scale: z.number().int() }),
    rows: z.number().int().describe('Measured rows per run; one more warm-up batch is written before them'),
    batchSizes: z.array(z.number().int()),
    repeat: z.number().int(),
    guarantees: z.array(z.enum(['exactly-once', 'none'])),
    baselines: z.boolean(),
    targets: z.array(
      z.strictObject({
        target: z.string(),
        sink: z.string(),
        options: z.record(z.string(), z.unknown()).describe('The sink options the bench set (secrets redacted)'),
      }),
    ),
  }),
  servers: z.array(
    z.strictObject({
      sink: z.string(),
      version: z.string().nullable(),
      address: z.string().nullable(),
      note: z.string().optional(),
    }),
  ),
  runs: z.array(runSchema),
  summary: z.array(summarySchema),
});

export type BenchResults = z.infer<typeof resultsSchema>;
export type BenchRun = z.infer<typeof runSchema>;
export type BenchSummary = z.infer<typeof summarySchema>;
export type Machine = z.infer<typeof machineSchema>;
