/**
 * The small statistics and grouping the charts share: quantiles of raw samples, and the configurations a report
 * compares (target x batch size x guarantee), labelled only with what varies in this bench.
 */
import type { BenchResults, BenchRun, BenchSummary } from '../results.js';

/** Linear-interpolated quantile (q in [0, 1]) of unsorted samples; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** [min, p25, median, p75, max]: what an ECharts boxplot item takes. */
export function fiveNumbers(values: readonly number[]): number[] {
  return [Math.min(...values), quantile(values, 0.25), median(values), quantile(values, 0.75), Math.max(...values)];
}

/** The summary rows of streamlab's sinks (not the baselines), in the order the runner wrote them. */
export function sinkSummaries(results: BenchResults): BenchSummary[] {
  return results.summary.filter((s) => s.writer === 'sink');
}

type ConfigKey = Pick<BenchRun, 'target' | 'batchSize' | 'guarantee'>;

/** A chart's category label: the target, plus batch size and guarantee when the bench varied them. */
export function configLabel(results: BenchResults, key: ConfigKey): string {
  const parts = [key.target];
  if (results.config.batchSizes.length > 1) parts.push(`batch ${key.batchSize.toLocaleString('en-US')}`);
  if (results.config.guarantees.length > 1) parts.push(key.guarantee);
  return parts.join('\n');
}

/** The runs of one configuration and writer, every repeat. */
export function runsOf(results: BenchResults, key: ConfigKey, writer: BenchRun['writer']): BenchRun[] {
  return results.runs.filter(
    (r) => r.writer === writer && r.target === key.target && r.batchSize === key.batchSize && r.guarantee === key.guarantee,
  );
}

/** The summary of the baseline measured beside a sink configuration, if there was one. */
export function baselineOf(results: BenchResults, key: ConfigKey): BenchSummary | undefined {
  return results.summary.find(
    (s) => s.writer === 'baseline' && s.target === key.target && s.batchSize === key.batchSize && s.guarantee === key.guarantee,
  );
}

/** Rounds for display in charts (ECharts prints the raw number in tooltips). */
export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
