import { z } from 'zod';
import type { GeneratorPace } from '../core/generator-source.js';

/** RFC 3339 as TSBS's --timestamp-start takes it: date, time, optional fraction, and a zone (Z or ±hh:mm). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of an RFC 3339 time, or undefined; refuses dates Date.parse would roll over (2016-02-30). */
export function parseRfc3339(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, year, month, day] = match;
  const ms = Date.parse(text);
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (Number.isNaN(ms) || calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day)) return undefined;
  return ms;
}

const rfc3339 = (description: string) =>
  z
    .string()
    .refine((text) => parseRfc3339(text) !== undefined, { message: 'expected an RFC 3339 time such as 2016-01-01T00:00:00Z' })
    .transform((text) => parseRfc3339(text)!)
    .describe(description);

/** A point in time written as RFC 3339 (`2016-01-01T00:00:00Z`); the factory receives epoch milliseconds. */
export function timestampOption(description: string, defaultText: string) {
  return rfc3339(description).prefault(defaultText).describe(description);
}

/** timestampOption without a default: undefined when not given. */
export function optionalTimestampOption(description: string) {
  return rfc3339(description).optional();
}

/**
 * `rows` and `rowsPerSecond`, the options every generator source shares (tsbs-cpu, wide): how many rows there are
 * in all and how fast they become available. Spread into the source's options and turned into a pace by `paceOf`.
 */
export const generatorPaceOptions = {
  rows: z
    .number()
    .int()
    .positive()
    .max(1e12)
    .optional()
    .describe(
      'Rows in all. Alone: a bounded source with every row available at once (an availableNow job ends after the last one). ' +
        'With rowsPerSecond: the pace stops there. Unset: the source never ends.',
    ),
  rowsPerSecond: z
    .number()
    .positive()
    .optional()
    .describe(
      'Pace: rows that become available per second of wall time since the job first started (kept in the checkpoint). ' +
        'Unset without rows: one reading per host/device every interval, in wall time (a live simulation). Event times do not depend on it.',
    ),
};

/** How a generator's rows become available, from its rows / rowsPerSecond options (see GeneratorPace). */
export function paceOf(options: { rows?: number; rowsPerSecond?: number }, rowsPerTick: number, intervalMs: number): GeneratorPace {
  if (options.rowsPerSecond !== undefined) return { kind: 'rate', rowsPerSecond: options.rowsPerSecond, rows: options.rows };
  if (options.rows !== undefined) return { kind: 'all', rows: options.rows };
  return { kind: 'ticks', rowsPerTick, intervalMs };
}

/** `all 1000 rows`, `10 rows/s, 1000 rows`: for descriptions. */
export function describePace(pace: GeneratorPace): string {
  const cap = pace.rows === undefined ? 'unbounded' : `${pace.rows} rows`;
  if (pace.kind === 'all') return `all ${pace.rows} rows at once`;
  if (pace.kind === 'rate') return `${pace.rowsPerSecond} rows/s, ${cap}`;
  return `${pace.rowsPerTick} rows every ${pace.intervalMs} ms, ${cap}`;
}
