import { z } from 'zod';
import { batchSizeOption, durationOption, retryOptions } from '../../component/options.js';
import { secret } from '../../component/secret.js';

/** Defaults measured with `npm run bench -- influxdb` (see docs/influxdb.md, "Throughput"). */
export const DEFAULT_BATCH_SIZE = 5000;
export const DEFAULT_CONCURRENCY = 2;

export const PRECISIONS = ['ns', 'us', 'ms', 's'] as const;
export type Precision = (typeof PRECISIONS)[number];

export const InfluxDBSinkOptions = z
  .strictObject({
    api: z
      .enum(['v2', 'v1'])
      .default('v2')
      .describe(
        'v2: POST /api/v2/write (InfluxDB 2.x, 3.x, Cloud, and 1.8+ through its compatibility endpoints); v1: POST /write?db=&rp= for InfluxDB 1.7 and older (e.g. the Debian package). Both send the same line protocol.',
      ),
    url: z
      .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL such as http://localhost:8086' })
      .optional()
      .describe("Base URL of the server, e.g. http://localhost:8086 (the workshop's INFLUX_URL). Required unless iniFile gives it."),
    org: z
      .string()
      .optional()
      .describe('v2: organization name or ID (INFLUX_ORG); InfluxDB 1.8 ignores it. Not used by v1. May come from iniFile.'),
    bucket: z
      .string()
      .min(1)
      .describe(
        'v2: the bucket (INFLUX_BUCKET); on InfluxDB 1.8 a database or database/retention-policy. v1: database or database/retention-policy.',
      ),
    token: secret(
      'v2: an API token with write permission on the bucket (INFLUX_TOKEN); on InfluxDB 1.x with auth enabled, username:password. v1: username:password (sent as HTTP basic auth). Leave unset for a server without auth. May come from iniFile.',
    ).optional(),
    iniFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Path to an influxdb.ini as the InfluxDB Python client reads it (`[influx2]` with url, org, token), relative to the working directory; url, org and token set here win over the file.',
      ),
    measurement: z.string().min(1).describe('Measurement every point is written to, e.g. sys_metrics.'),
    tags: z
      .array(z.string().min(1))
      .default([])
      .describe('Columns written as tags (indexed; their values become text). A null or empty value leaves the tag out of that point.'),
    fields: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        'Columns written as fields: double -> float, long -> integer, boolean, string. Default: every long or double column that is neither a tag nor the time.',
      ),
    time: z
      .string()
      .min(1)
      .default('timestamp')
      .describe(
        'The column that gives each point its time (a timestamp, or a long counted in `precision` units). Taken from the row, never from the clock, so a replayed batch overwrites its own points.',
      ),
    precision: z
      .enum(PRECISIONS)
      .default('ms')
      .describe(
        'Unit of a long time column, and what timestamps are truncated to (`s` drops the milliseconds; ns, us and ms keep them). Points are always sent in nanoseconds: in append mode the digits below the row time carry the batch id and the rank of rows sharing a series and a time, so they are never merged (see docs/influxdb.md).',
      ),
    batchSize: batchSizeOption('Lines (points) per HTTP request; a micro-batch with more rows is sent as several requests.', {
      default: DEFAULT_BATCH_SIZE,
      max: 1_000_000,
    }),
    concurrency: z
      .number()
      .int()
      .positive()
      .max(64)
      .default(DEFAULT_CONCURRENCY)
      .describe('Requests of one micro-batch in flight at once.'),
    gzip: z.boolean().default(false).describe('Compress request bodies (over 1000 bytes) with gzip: less network, more CPU.'),
    ...retryOptions({
      after: "429, 5xx, a timeout or a connection failure (a server's Retry-After wins over the backoff)",
      giveUp:
        '10 retries with the default backoff wait 20 to 45 s in all; then the job stops without committing the batch, and restarted, writes the batch again.',
    }),
    timeout: durationOption('Time a request may take before it counts as failed (and is retried).', { default: '10s', positive: true }),
  })
  .describe('Writes each micro-batch as InfluxDB line protocol, each row one point timed by its time column.');

export type InfluxDBSinkOptions = z.output<typeof InfluxDBSinkOptions>;
