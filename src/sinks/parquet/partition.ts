import type { Row, Value } from '../../core/row.js';

/**
 * Hive-style partition paths, as Spark's `partitionBy` writes them: `col=value/` per plain column, and for a time
 * partition `year=2026/month=11/day=23/hour=09/` derived from a timestamp in UTC.
 *
 * | timestamp (UTC)            | granularity | path                                   |
 * | -------------------------- | ----------- | -------------------------------------- |
 * | 2026-11-23T09:41:07.123Z   | hour        | year=2026/month=11/day=23/hour=09      |
 * | 2026-12-31T23:59:59.999Z   | day         | year=2026/month=12/day=31              |
 * | 2027-01-01T00:00:00.000Z   | month       | year=2027/month=01                     |
 * | null                       | year        | year=__HIVE_DEFAULT_PARTITION__        |
 *
 * Values are escaped like Spark's `ExternalCatalogUtils.escapePathName` (`/` -> `%2F`, `=` -> `%3D`, ...); null and
 * the empty string become `__HIVE_DEFAULT_PARTITION__`, which Spark and pyarrow read back as null.
 */

export const TIME_GRANULARITIES = ['year', 'month', 'day', 'hour'] as const;
export type TimeGranularity = (typeof TIME_GRANULARITIES)[number];

export type PartitionSpec = { kind: 'column'; column: string } | { kind: 'time'; column: string; granularity: TimeGranularity };

export const DEFAULT_PARTITION_NAME = '__HIVE_DEFAULT_PARTITION__';

/** The folder names a spec produces, in order: `['sensor']` or `['year', 'month', 'day', 'hour']`. */
export function partitionNames(spec: PartitionSpec): string[] {
  if (spec.kind === 'column') return [spec.column];
  return TIME_GRANULARITIES.slice(0, TIME_GRANULARITIES.indexOf(spec.granularity) + 1);
}

// Spark's charToEscape (non-Windows): ASCII 0x01-0x1F, 0x7F and " # % ' * / : = ? \ { [ ] ^
const ESCAPED = new Set<number>([
  ...Array.from({ length: 0x1f }, (_, i) => i + 1),
  ...[...`"#%'*/:=?\\{[]^`].map((c) => c.charCodeAt(0)),
  0x7f,
]);

/** Spark's `escapePathName`: each listed UTF-16 unit as `%XX` (upper-case hex), everything else as is. */
export function escapePathName(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out += ESCAPED.has(code) ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : text[i];
  }
  return out;
}

/** One `name=value` folder; null, undefined and '' give Spark's default partition name. */
export function partitionSegment(name: string, value: string | null | undefined): string {
  return `${escapePathName(name)}=${value === null || value === undefined || value === '' ? DEFAULT_PARTITION_NAME : escapePathName(value)}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The folders of a time partition for one timestamp, in UTC, zero-padded (`month=01`, `hour=09`). */
export function timeSegments(time: Date | null, granularity: TimeGranularity): string[] {
  const names = TIME_GRANULARITIES.slice(0, TIME_GRANULARITIES.indexOf(granularity) + 1);
  if (time === null) return names.map((name) => partitionSegment(name, null));
  const parts = [
    String(time.getUTCFullYear()).padStart(4, '0'),
    pad2(time.getUTCMonth() + 1),
    pad2(time.getUTCDate()),
    pad2(time.getUTCHours()),
  ];
  return names.map((name, i) => partitionSegment(name, parts[i]));
}

/**
 * How a plain partition value is written, as Spark's cast to string does: `5`, `true`, `abc`. Only strings, integers
 * and booleans: a double or a timestamp as a folder name is almost always a mistake (use a time partition).
 */
export function partitionValueText(value: Value | undefined, column: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new TypeError(
    `partition column "${column}" has the value ${describeValue(value)}; partition values must be strings, integers or booleans (for a timestamp use { time: ${column}, granularity: hour })`,
  );
}

function timeValue(value: Value | undefined, column: string): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  throw new TypeError(`time partition column "${column}" has the value ${describeValue(value)}; expected a valid Date`);
}

export function describeValue(value: Value | undefined): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : `Date ${value.toISOString()}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Compiles the specs into a function from a row to its relative partition directory (`''` with no specs, else
 * `a=1/b=2`, no trailing slash). Throws a TypeError naming the column for a value that cannot be a folder name.
 */
export function partitioner(specs: readonly PartitionSpec[]): (row: Row) => string {
  if (specs.length === 0) return () => '';
  const steps = specs.map((spec): ((row: Row) => string) => {
    const { column } = spec;
    if (spec.kind === 'time') {
      const { granularity } = spec;
      // Rows come mostly in time order: remember the last hour (or day) and its folders.
      const unit = granularity === 'hour' ? 3_600_000 : 86_400_000;
      let lastKey = NaN;
      let lastPath = '';
      return (row) => {
        const time = timeValue(row[column], column);
        if (time === null) return timeSegments(null, granularity).join('/');
        const key = Math.floor(time.getTime() / unit);
        if (key !== lastKey) {
          lastPath = timeSegments(time, granularity).join('/');
          lastKey = key;
        }
        return lastPath;
      };
    }
    return (row) => partitionSegment(column, partitionValueText(row[column], column));
  });
  return (row) => steps.map((step) => step(row)).join('/');
}
