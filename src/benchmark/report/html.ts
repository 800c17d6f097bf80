/**
 * report.html: one self-contained file. ECharts' own dist/echarts.min.js is read from node_modules and inlined, the
 * chart options ride along as JSON, and a few lines draw them: no CDN, no request of any kind. The tables are plain
 * HTML and read without JavaScript.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { BenchResults } from '../results.js';
import type { BuiltChart } from './charts.js';
import { escapeHtml as e, jsonForScript } from './format.js';
import { header, serverNotes } from './header.js';
import { PAGE_STYLE } from './page-style.js';
import { summaryTable, verificationTable, verificationTally } from './tables.js';

/** ECharts' browser bundle, checked so that inlining it cannot end the <script> element early. */
export async function echartsBundle(): Promise<string> {
  const path = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
  const source = await readFile(path, 'utf8');
  if (/<\/script/i.test(source)) throw new Error(`${path} contains "</script": it cannot be inlined into report.html as is`);
  return source;
}

/** Draws every chart from the JSON options; `window.streamlabCharts` lets a test find them. */
const DRAW = `
(function () {
  var options = JSON.parse(document.getElementById('chart-options').textContent);
  var charts = {};
  Object.keys(options).forEach(function (id) {
    var el = document.getElementById(id);
    try {
      var chart = echarts.init(el, null, { renderer: 'canvas' });
      chart.setOption(options[id]);
      charts[id] = chart;
    } catch (e) {
      // One chart that cannot draw must not take the others with it; say so where it would be.
      el.textContent = 'This chart could not be drawn: ' + e;
    }
  });
  window.addEventListener('resize', function () { Object.keys(charts).forEach(function (id) { charts[id].resize(); }); });
  window.streamlabCharts = charts;
  document.documentElement.setAttribute('data-charts', 'drawn');
})();`;

function figure(chart: BuiltChart): string {
  const title = String((chart.option.title as { text?: string } | undefined)?.text ?? chart.id);
  return `<figure>
<div class="chart" id="${e(chart.id)}" role="img" aria-label="${e(title)}"><noscript><p>This chart needs JavaScript; <code>${e(chart.id)}.svg</code> beside this file shows the same.</p></noscript></div>
<figcaption>${e(chart.caption)}</figcaption>
</figure>`;
}

export function renderHtml(results: BenchResults, charts: readonly BuiltChart[], echartsSource: string): string {
  const options = Object.fromEntries(charts.map((c) => [c.id, c.option]));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(results.config.name ? `streamlab bench: ${results.config.name}` : 'streamlab bench')} (${e(results.startedAt)})</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${header(results)}
<h2 id="verification-heading">Verification</h2>
<p>After every run the bench read the destination back: the row count and the sum of a numeric column must match what was written, the warm-up batch included. <a href="#runs-heading">Every run</a> is listed at the end.</p>
${verificationTally(results)}
<h2 id="charts">Charts</h2>
${charts.length > 0 ? charts.map(figure).join('\n') : '<p>No charts: no configuration was measured to the end.</p>'}
<h2 id="summary-heading">Summary</h2>
<div class="table-wrap">${summaryTable(results)}</div>
<h2 id="servers-heading">Servers</h2>
<div class="table-wrap">${serverNotes(results)}</div>
<h2 id="runs-heading">Every run, read back</h2>
<div class="table-wrap">${verificationTable(results)}</div>
</main>
<script type="application/json" id="chart-options">${jsonForScript(options)}</script>
<script>${echartsSource}</script>
<script>${DRAW}</script>
</body>
</html>
`;
}
