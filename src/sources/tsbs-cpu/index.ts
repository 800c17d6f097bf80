import { z } from 'zod';
import { defineSource } from '../../component/definition.js';
import { describePace, generatorPaceOptions, paceOf, timestampOption } from '../../component/generator-options.js';
import { durationOption } from '../../component/options.js';
import { GeneratorSource } from '../../core/generator-source.js';
import { TSBS_CPU_SCHEMA, tsbsCpuRows } from './rows.js';

/** TSBS's documented benchmark scale (its README and scripts/generate_data.sh use 4000 hosts; its flag's default is 1). */
export const TSBS_DEFAULT_SCALE = 4000;
/** TSBS's --timestamp-start default. */
export const TSBS_DEFAULT_START = '2016-01-01T00:00:00Z';

const options = z.strictObject({
  ...generatorPaceOptions,
  scale: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(TSBS_DEFAULT_SCALE)
    .describe(
      "Hosts (TSBS --scale), host_0..host_<scale-1>; each gives one reading per interval. Default: 4000, the scale of TSBS's README and scripts.",
    ),
  interval: durationOption('Time between two readings of a host (TSBS --log-interval).', { default: '10s', positive: true }),
  start: timestampOption('Time of the first readings (TSBS --timestamp-start), RFC 3339.', TSBS_DEFAULT_START),
});

export const tsbsCpuSource = defineSource({
  type: 'tsbs-cpu',
  // rows and rowsPerSecond only say how many rows there are and when: an offset stands for the same row whatever they are.
  offsetIdentity: (o) => ({ scale: o.scale, interval: o.interval, start: o.start }),
  summary:
    "TSBS's cpu-only use case: per host its ten tags and ten usage_* fields (whole numbers 0..100), one reading per host every interval from a fixed start. Rows are a pure function of the offset: replayable; bounded with `rows`.",
  options,
  examples: [
    { rows: 1_000_000 },
    { rows: 100, scale: 10 },
    { scale: 4, rowsPerSecond: 2 },
    { rows: 8640, scale: 1, interval: '10s', start: '2024-01-01T00:00:00Z' },
  ],
  create: (o) =>
    new GeneratorSource(
      `TsbsCpu(scale=${o.scale}, intervalMs=${o.interval}, start=${new Date(o.start).toISOString()}, ${describePace(paceOf(o, o.scale, o.interval))})`,
      TSBS_CPU_SCHEMA,
      tsbsCpuRows({ scale: o.scale, intervalMs: o.interval, startMs: o.start }),
      paceOf(o, o.scale, o.interval),
    ),
});
