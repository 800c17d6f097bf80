/**
 * Freshness: from a batch's start until a read-back query saw all its rows (sampled, so only configurations whose
 * runs took samples appear). Median and worst sample per configuration. Not drawn when nothing was sampled.
 */
import type { EChartsOption } from 'echarts';
import type { BenchResults } from '../results.js';
import { configLabel, round, sinkSummaries } from './stats.js';
import { baseOption, PALETTE } from './theme.js';

export function freshnessChart(results: BenchResults): EChartsOption | undefined {
  const sampled = sinkSummaries(results).filter((s) => s.freshnessMs !== null);
  if (sampled.length === 0) return undefined;
  return {
    ...baseOption('Freshness', "ms from a batch's start until a reader saw all its rows (sampled)"),
    grid: { left: 72, right: 24, top: 116, bottom: 72 },
    xAxis: { type: 'category', data: sampled.map((s) => configLabel(results, s)), axisLabel: { interval: 0, lineHeight: 15 } },
    yAxis: { type: 'value', name: 'ms', splitLine: { lineStyle: { color: '#e4e7eb' } } },
    series: [
      { type: 'bar', name: 'median', data: sampled.map((s) => round(s.freshnessMs!.p50)), color: PALETTE[0] },
      { type: 'bar', name: 'worst', data: sampled.map((s) => round(s.freshnessMs!.max)), color: PALETTE[3] },
    ],
  };
}
