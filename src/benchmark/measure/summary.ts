/**
 * The summary of results.json: one entry per (target, writer, batch size, guarantee) with at least one run that
 * finished: medians / min / max over its repeats, latency percentiles over the samples of all its runs, and the
 * sink's median rows/s as a fraction of the baseline's (same target, batch size and guarantee). `verified` is true
 * only when every run of the configuration, failed ones included, read back exactly what was written.
 */
import type { BenchRun, BenchSummary } from '../results.js';

export function summarize(runs: BenchRun[]): BenchSummary[] {
  const groups = new Map<string, BenchRun[]>();
  for (const run of runs) {
    const key = JSON.stringify([run.target, run.writer, run.batchSize, run.guarantee]);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const summaries: BenchSummary[] = [];
  for (const group of groups.values()) {
    const finished = group.filter((r) => r.error === undefined);
    if (finished.length === 0) continue;
    const first = group[0];
    const latencies = finished.flatMap((r) => r.batchLatencyMs);
    const freshness = finished.flatMap((r) => r.freshnessMs);
    const disk = finished.flatMap((r) => (r.diskBytes === null ? [] : [r.diskBytes]));
    summaries.push({
      target: first.target,
      sink: first.sink,
      writer: first.writer,
      batchSize: first.batchSize,
      guarantee: first.guarantee,
      runs: finished.length,
      rowsPerSecond: spread(finished.map((r) => r.rowsPerSecond)),
      mbPerSecond: spread(finished.map((r) => r.mbPerSecond)),
      latencyMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        max: latencies.length > 0 ? Math.max(...latencies) : 0,
      },
      freshnessMs: freshness.length > 0 ? { p50: percentile(freshness, 50), max: Math.max(...freshness) } : null,
      ofBaseline: null,
      diskBytes: disk.length > 0 ? median(disk) : null,
      verified: group.every((r) => r.verification.ok),
    });
  }
  for (const summary of summaries) {
    if (summary.writer !== 'sink') continue;
    const baseline = summaries.find(
      (b) =>
        b.writer === 'baseline' && b.target === summary.target && b.batchSize === summary.batchSize && b.guarantee === summary.guarantee,
    );
    if (baseline && baseline.rowsPerSecond.median > 0) summary.ofBaseline = summary.rowsPerSecond.median / baseline.rowsPerSecond.median;
  }
  return summaries;
}

function spread(values: number[]) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (the value at or below which p % of the samples lie); 0 without samples. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
