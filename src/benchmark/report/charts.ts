/**
 * The report's charts, in page order: one option builder each, shared by report.html (interactive, in the browser)
 * and the SVG files (rendered in Node). A builder returns undefined when its chart does not apply to this bench
 * (one batch size: no sweep; nothing sampled: no freshness).
 */
import type { EChartsOption } from 'echarts';
import type { BenchResults } from '../results.js';
import { batchSizesChart } from './chart-batch-sizes.js';
import { freshnessChart } from './chart-freshness.js';
import { latencyChart } from './chart-latency.js';
import { resourcesChart } from './chart-resources.js';
import { throughputChart } from './chart-throughput.js';

export interface ChartSpec {
  /** The HTML element id and the SVG file's base name. */
  id: string;
  /** What the page says under the chart: how to read it. */
  caption: string;
  build(results: BenchResults): EChartsOption | undefined;
}

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'throughput',
    caption:
      "Higher is better. The grey bar is the server's own fastest bulk path on the same rows in the same run. A configuration that failed verification has no bar: lost or doubled rows make its speed meaningless.",
    build: throughputChart,
  },
  { id: 'latency', caption: 'Lower is better. Every measured batch of every repeat counts as one sample.', build: latencyChart },
  { id: 'batch-sizes', caption: 'How throughput changes with the rows per batch (both axes as measured).', build: batchSizesChart },
  { id: 'resources', caption: 'Lower is better. A blank bar means the figure is unknown, not zero.', build: resourcesChart },
  { id: 'freshness', caption: 'Lower is better: how soon a reader sees a batch.', build: freshnessChart },
];

export interface BuiltChart {
  id: string;
  caption: string;
  option: EChartsOption;
}

/** The charts that apply to these results, with their options. */
export function buildCharts(results: BenchResults): BuiltChart[] {
  return CHARTS.flatMap((spec) => {
    const option = spec.build(results);
    return option ? [{ id: spec.id, caption: spec.caption, option }] : [];
  });
}
