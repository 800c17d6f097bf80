import { z } from 'zod';
import { defineSource } from '../../component/definition.js';
import { describePace, generatorPaceOptions, paceOf, timestampOption } from '../../component/generator-options.js';
import { durationOption } from '../../component/options.js';
import { GeneratorSource } from '../../core/generator-source.js';
import { WIDE_SCHEMA, wideRows } from './rows.js';

export const WIDE_DEFAULT_SCALE = 100;
export const WIDE_DEFAULT_START = '2024-01-01T00:00:00Z';

const options = z.strictObject({
  ...generatorPaceOptions,
  scale: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(WIDE_DEFAULT_SCALE)
    .describe('Devices, device_0..device_<scale-1>; each gives one row per interval.'),
  interval: durationOption('Time between two rows of a device.', { default: '1s', positive: true }),
  start: timestampOption('Time of the first rows, RFC 3339.', WIDE_DEFAULT_START),
});

export const wideSource = defineSource({
  type: 'wide',
  offsetIdentity: (o) => ({ scale: o.scale, interval: o.interval, start: o.start }),
  summary:
    'A wide table: 50 columns of every scalar type (id, timestamp, device, 12 long incl. the checksum column long_00, 12 double, 11 string, 6 boolean, 6 timestamp), a pure function of the offset. Replayable; bounded with `rows`.',
  options,
  examples: [{ rows: 100_000 }, { rows: 1000, scale: 10, interval: '1m' }, { rowsPerSecond: 500 }],
  create: (o) =>
    new GeneratorSource(
      `Wide(scale=${o.scale}, intervalMs=${o.interval}, start=${new Date(o.start).toISOString()}, ${describePace(paceOf(o, o.scale, o.interval))})`,
      WIDE_SCHEMA,
      wideRows({ scale: o.scale, intervalMs: o.interval, startMs: o.start }),
      paceOf(o, o.scale, o.interval),
    ),
});
