/**
 * Throughput: median rows/s per configuration, streamlab's sink beside the server's own bulk path on the same rows,
 * with min–max over the repeats as whiskers and the sink's "% of baseline" under its label. The whiskers are a boxplot
 * series whose box collapses onto the median: plain option data (no callbacks), so the same object renders in Node
 * (SVG) and in the page.
 */
import type { BoxplotSeriesOption, EChartsOption } from 'echarts';
import type { BenchResults, BenchSummary } from '../results.js';
import { baselineOf, configLabel, round, sinkSummaries } from './stats.js';
import { BASELINE_COLOR, baseOption, INK } from './theme.js';

export const SINK_SERIES = 'streamlab sink';
export const BASELINE_SERIES = "server's bulk path (baseline)";

/** A blank boxplot item where a configuration has no baseline. */
const NO_WHISKERS: ('-' | number)[] = ['-', '-', '-', '-', '-'];

/** A configuration that lost or doubled rows reports no throughput: no bar, no whiskers. */
const counted = (s: BenchSummary | undefined): BenchSummary | undefined => (s?.verified ? s : undefined);

const whiskers = (s: BenchSummary | undefined): ('-' | number)[] =>
  s
    ? [s.rowsPerSecond.min, s.rowsPerSecond.median, s.rowsPerSecond.median, s.rowsPerSecond.median, s.rowsPerSecond.max].map((v) =>
        round(v),
      )
    : NO_WHISKERS;

/**
 * The category label, with the sink's share of its baseline under it (on the bar it would collide with whiskers).
 * Plain text, not ECharts rich text: a target name with braces must not be read as markup.
 */
function category(results: BenchResults, s: BenchSummary): string {
  const label = configLabel(results, s);
  if (!s.verified) return `${label}\nverification FAILED`;
  return s.ofBaseline === null ? label : `${label}\n${Math.round(s.ofBaseline * 100)}% of baseline`;
}

function whiskerSeries(name: string, data: BoxplotSeriesOption['data']): BoxplotSeriesOption {
  return {
    type: 'boxplot',
    name,
    data,
    boxWidth: [8, 14],
    itemStyle: { color: 'transparent', borderColor: INK, borderWidth: 1.2 },
    tooltip: { show: false },
  };
}

export function throughputChart(results: BenchResults): EChartsOption | undefined {
  const sinks = sinkSummaries(results);
  if (sinks.length === 0) return undefined;
  const baselines = sinks.map((s) => baselineOf(results, s));
  const anyBaseline = baselines.some((b) => b !== undefined);
  const series: EChartsOption['series'] = [
    { type: 'bar', name: SINK_SERIES, data: sinks.map((s) => (s.verified ? round(s.rowsPerSecond.median) : '-')) },
    whiskerSeries(
      SINK_SERIES,
      sinks.map((s) => whiskers(counted(s))),
    ),
  ];
  if (anyBaseline) {
    series.splice(1, 0, {
      type: 'bar',
      name: BASELINE_SERIES,
      color: BASELINE_COLOR,
      data: baselines.map((b) => (b?.verified ? round(b.rowsPerSecond.median) : '-')),
    });
    series.push(
      whiskerSeries(
        BASELINE_SERIES,
        baselines.map((b) => whiskers(counted(b))),
      ),
    );
  }
  return {
    ...baseOption('Throughput', `median rows/s over ${results.config.repeat} repeat(s); whiskers: min–max`),
    grid: { left: 72, right: 24, top: 116, bottom: 72 },
    xAxis: {
      type: 'category',
      data: sinks.map((s) => category(results, s)),
      axisLabel: { interval: 0, lineHeight: 15 },
    },
    yAxis: { type: 'value', name: 'rows/s', splitLine: { lineStyle: { color: '#e4e7eb' } } },
    series,
  };
}
