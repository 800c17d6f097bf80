/**
 * Per-batch write latency of streamlab's sink, from the raw samples of every repeat: a box (p25–p75, median line,
 * whiskers min–max) per configuration, with p95 and p99 marked. A log axis when the configurations differ by more
 * than a factor of 50, so a fast sink's box is not a flat line under a slow one's.
 */
import type { EChartsOption } from 'echarts';
import type { BenchResults } from '../results.js';
import { configLabel, fiveNumbers, quantile, round, runsOf, sinkSummaries } from './stats.js';
import { baseOption, PALETTE } from './theme.js';

export function latencyChart(results: BenchResults): EChartsOption | undefined {
  const configs = sinkSummaries(results)
    .map((s) => ({ key: s, samples: runsOf(results, s, 'sink').flatMap((r) => r.batchLatencyMs) }))
    .filter((c) => c.samples.length > 0);
  if (configs.length === 0) return undefined;
  const all = configs.flatMap((c) => c.samples);
  const logScale = Math.max(...all) / Math.max(Math.min(...all), 1e-3) > 50;
  const mark = (q: number) => configs.map((c) => round(quantile(c.samples, q), 2));
  return {
    ...baseOption('Batch write latency', 'streamlab sink, every measured batch of every repeat; box p25–p75, whiskers min–max'),
    grid: { left: 72, right: 24, top: 116, bottom: 72 },
    xAxis: { type: 'category', data: configs.map((c) => configLabel(results, c.key)), axisLabel: { interval: 0, lineHeight: 15 } },
    yAxis: { type: logScale ? 'log' : 'value', name: 'ms per batch', splitLine: { lineStyle: { color: '#e4e7eb' } } },
    series: [
      {
        type: 'boxplot',
        name: 'latency',
        data: configs.map((c) => fiveNumbers(c.samples).map((v) => round(v, 2))),
        itemStyle: { color: '#dbe7f5', borderColor: PALETTE[0] },
      },
      { type: 'scatter', name: 'p95', data: mark(0.95), symbol: 'diamond', symbolSize: 9, color: PALETTE[1] },
      { type: 'scatter', name: 'p99', data: mark(0.99), symbol: 'triangle', symbolSize: 9, color: PALETTE[3] },
    ],
  };
}
