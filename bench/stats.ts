/** Small statistics for benchmark reports: medians of repeated runs and latency percentiles. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = (values: number[]) => percentile(values, 50);

export function formatRate(perSecond: number): string {
  return perSecond >= 1e6
    ? `${(perSecond / 1e6).toFixed(2)}M`
    : perSecond >= 1e3
      ? `${(perSecond / 1e3).toFixed(1)}k`
      : perSecond.toFixed(0);
}
