/**
 * The report of `streamlab bench`: report.html (interactive charts and the tables) and every chart as an SVG file
 * for a README, all from one set of ECharts options. results.json is the CLI's to write.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResults } from '../results.js';
import { buildCharts } from './charts.js';
import { echartsBundle, renderHtml } from './html.js';
import { writeSvgFiles } from './svg.js';

/** Writes report.html and `<chart>.svg` into dir (created if missing); returns the paths written. */
export async function writeReport(results: BenchResults, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const charts = buildCharts(results);
  const html = join(dir, 'report.html');
  await writeFile(html, renderHtml(results, charts, await echartsBundle()));
  return [html, ...(await writeSvgFiles(charts, dir))];
}
