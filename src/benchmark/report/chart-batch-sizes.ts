/**
 * The batch-size sweep: median rows/s against rows per batch (log axis), one curve per target, and its baseline
 * dashed in the same colour. Only drawn when the bench measured more than one batch size.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { BenchResults, BenchSummary } from '../results.js';
import { round } from './stats.js';
import { baseOption, PALETTE } from './theme.js';

function curve(name: string, points: BenchSummary[], color: string, dashed: boolean): LineSeriesOption {
  return {
    type: 'line',
    name,
    color,
    symbolSize: 7,
    lineStyle: { type: dashed ? 'dashed' : 'solid', width: dashed ? 1.5 : 2.5 },
    data: [...points].sort((a, b) => a.batchSize - b.batchSize).map((s) => [s.batchSize, round(s.rowsPerSecond.median)]),
  };
}

export function batchSizesChart(results: BenchResults): EChartsOption | undefined {
  if (results.config.batchSizes.length < 2) return undefined;
  const lines = new Map<string, { config: string; writer: BenchSummary['writer']; points: BenchSummary[] }>();
  const byGuarantee = results.config.guarantees.length > 1;
  // A configuration that lost or doubled rows reports no throughput: its point is left out.
  for (const s of results.summary.filter((c) => c.verified)) {
    const config = `${s.target}${byGuarantee ? ` (${s.guarantee})` : ''}`;
    const name = `${config}${s.writer === 'baseline' ? ' baseline' : ''}`;
    const line = lines.get(name) ?? { config, writer: s.writer, points: [] };
    line.points.push(s);
    lines.set(name, line);
  }
  if (lines.size === 0) return undefined;
  // A baseline takes its sink's colour: the pair reads as one target.
  const configs = [...new Set([...lines.values()].map((l) => l.config))];
  const colorOf = (config: string) => PALETTE[configs.indexOf(config) % PALETTE.length];
  return {
    ...baseOption('Batch-size sweep', "median rows/s by rows per batch; dashed: the same server's bulk path"),
    grid: { left: 72, right: 32, top: 116, bottom: 56 },
    tooltip: { trigger: 'axis', confine: true },
    xAxis: { type: 'log', name: 'rows per batch', nameLocation: 'middle', nameGap: 30, logBase: 10, min: 'dataMin', max: 'dataMax' },
    yAxis: { type: 'value', name: 'rows/s', splitLine: { lineStyle: { color: '#e4e7eb' } } },
    series: [...lines].map(([name, line]) => curve(name, line.points, colorOf(line.config), line.writer === 'baseline')),
  };
}
