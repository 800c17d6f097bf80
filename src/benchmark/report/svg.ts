/**
 * The charts as SVG files, rendered in Node by ECharts' server-side renderer from the same options the page uses.
 * ECharts is imported on first use: the CLI only pays for it when it writes a report.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuiltChart } from './charts.js';
import { SVG_SIZE } from './theme.js';

export async function renderSvg(chart: BuiltChart): Promise<string> {
  const echarts = await import('echarts');
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, ...SVG_SIZE });
  try {
    instance.setOption(chart.option);
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}

/** Writes `<id>.svg` for every chart into dir; returns the paths. */
export async function writeSvgFiles(charts: readonly BuiltChart[], dir: string): Promise<string[]> {
  const paths: string[] = [];
  for (const chart of charts) {
    const path = join(dir, `${chart.id}.svg`);
    await writeFile(path, await renderSvg(chart));
    paths.push(path);
  }
  return paths;
}
