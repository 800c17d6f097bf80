/**
 * What `streamlab bench` does when neither a flag nor the bench file says otherwise. One constant each, chosen so
 * that `streamlab bench --sinks influxdb,cassandra,mysql,starrocks,parquet --rows 1000000` (5 sinks, each with its
 * baseline: 10 runs of 1,000,000 rows plus a warm-up batch) fits in 10 minutes on a shared 2-core machine. Raise
 * --repeat to see the spread (and for `bench compare` to call a change significant); it multiplies the time.
 */
import type { Guarantee } from './plan.js';

export const DEFAULT_WORKLOAD = 'tsbs-cpu';
/** Measured rows per run (the warm-up batch comes on top). Small enough for a first look in about a minute. */
export const DEFAULT_ROWS = 100_000;
/** One batch size: TSBS's loaders default to 10,000 rows per batch too. */
export const DEFAULT_BATCH_SIZES: readonly number[] = [10_000];
/** One repeat: with more, every configuration runs again, in a rotated order. */
export const DEFAULT_REPEAT = 1;
/** The job path (a StreamingQuery with its checkpoint), as a job would write. */
export const DEFAULT_GUARANTEES: readonly Guarantee[] = ['exactly-once'];
export const DEFAULT_BASELINES = true;
/** Read-back polls per run for freshness; each costs a query on the server during the run. */
export const DEFAULT_FRESHNESS_SAMPLES = 5;

/** `out/bench-2026-11-30-221500` (UTC), relative to the working directory. */
export function defaultReportDir(now: Date): string {
  const stamp = now.toISOString().replace(/\..*$/, '').replace('T', '-').replaceAll(':', '');
  return `out/bench-${stamp}`;
}
