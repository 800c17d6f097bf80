/**
 * What a configuration costs: CPU seconds and peak RSS of the client (this process) and of the server, and the bytes
 * the destination holds on disk, as three panels of horizontal bars sharing the configuration axis. Medians over
 * the repeats of streamlab's sink; a missing figure (no local server PID, a disk size the server does not tell) is
 * left blank, not drawn as zero.
 */
import type { BarSeriesOption, EChartsOption, XAXisComponentOption, YAXisComponentOption } from 'echarts';
import type { BenchResults, BenchRun } from '../results.js';
import { configLabel, median, round, runsOf, sinkSummaries } from './stats.js';
import { baseOption, PALETTE } from './theme.js';

const PANELS = [
  { name: 'CPU seconds', left: '19%', width: '23%' },
  { name: 'peak RSS (MiB)', left: '46%', width: '23%' },
  { name: 'on disk (MB)', left: '74%', width: '23%' },
];

/** The median of a figure over runs, or '-' (ECharts' blank) when no run has it. */
function medianOf(runs: BenchRun[], pick: (r: BenchRun) => number | null | undefined, scale = 1): number | '-' {
  const values = runs.map(pick).filter((v): v is number => typeof v === 'number');
  return values.length > 0 ? round(median(values) / scale, 2) : '-';
}

function bars(name: string, panel: number, data: (number | '-')[], color: string): BarSeriesOption {
  return { type: 'bar', name, xAxisIndex: panel, yAxisIndex: panel, data, color, barMaxWidth: 18 };
}

export function resourcesChart(results: BenchResults): EChartsOption | undefined {
  const configs = sinkSummaries(results);
  if (configs.length === 0) return undefined;
  const runs = configs.map((c) => runsOf(results, c, 'sink'));
  const column = (pick: (r: BenchRun) => number | null | undefined, scale?: number) => runs.map((r) => medianOf(r, pick, scale));
  // One line each: two-line labels on a horizontal bar axis crowd into their neighbours.
  const labels = configs.map((c) => configLabel(results, c).replaceAll('\n', ' · '));
  const yAxis: YAXisComponentOption[] = PANELS.map((_, i) => ({
    type: 'category',
    gridIndex: i,
    inverse: true,
    data: labels,
    axisLabel: { show: i === 0 },
    axisTick: { show: i === 0 },
  }));
  const xAxis: XAXisComponentOption[] = PANELS.map((p, i) => ({
    type: 'value',
    gridIndex: i,
    name: p.name,
    nameLocation: 'middle',
    nameGap: 28,
    splitLine: { lineStyle: { color: '#e4e7eb' } },
  }));
  return {
    ...baseOption('Resource use', 'medians over the repeats of the sink; server: the recorded PID and its children'),
    grid: PANELS.map((p) => ({ left: p.left, width: p.width, top: 116, bottom: 56 })),
    xAxis,
    yAxis,
    series: [
      bars(
        'client',
        0,
        column((r) => r.client.cpuSeconds),
        PALETTE[0],
      ),
      bars(
        'server',
        0,
        column((r) => r.server?.cpuSeconds),
        PALETTE[1],
      ),
      bars(
        'client',
        1,
        column((r) => r.client.peakRssBytes, 2 ** 20),
        PALETTE[0],
      ),
      bars(
        'server',
        1,
        column((r) => r.server?.peakRssBytes, 2 ** 20),
        PALETTE[1],
      ),
      bars(
        'disk',
        2,
        column((r) => r.diskBytes, 1e6),
        PALETTE[2],
      ),
    ],
  };
}
