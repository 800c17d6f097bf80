import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCharts } from '../../src/benchmark/report/charts.js';
import { writeReport } from '../../src/benchmark/report/index.js';
import type { BenchResults } from '../../src/benchmark/results.js';
import { xmlProblem } from '../support/xml-well-formed.js';
import { benchResultsFixture } from './report-fixture.js';

const TARGETS = ['influxdb', 'mysql', 'starrocks', 'parquet'];

/** The fixture cut down to one batch size (what a bench without a sweep writes). */
function oneBatchSize(results: BenchResults): BenchResults {
  const keep = <T extends { batchSize: number }>(items: T[]) => items.filter((i) => i.batchSize === 1000);
  return { ...results, config: { ...results.config, batchSizes: [1000] }, runs: keep(results.runs), summary: keep(results.summary) };
}

describe('writeReport', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streamlab-report-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes report.html and one well-formed SVG per chart, naming every target and series', async () => {
    const out = join(dir, 'full');
    const paths = await writeReport(benchResultsFixture(), out);
    assert.deepEqual(
      paths.map((p) => basename(p)),
      ['report.html', 'throughput.svg', 'latency.svg', 'batch-sizes.svg', 'resources.svg', 'freshness.svg'],
    );
    const svg = async (name: string) => readFile(join(out, name), 'utf8');
    for (const name of paths.slice(1).map((p) => basename(p))) {
      const text = await svg(name);
      assert.match(text, /^<svg [^>]*width="960" height="480"/, name);
      assert.equal(xmlProblem(text), undefined, name);
      assert.ok((text.match(/<path /g) ?? []).length > 20, `${name} draws shapes`);
    }
    const throughput = await svg('throughput.svg');
    for (const text of ['streamlab sink', 'server&#39;s bulk path (baseline)', ...TARGETS, '77% of baseline', 'verification FAILED']) {
      assert.ok(throughput.includes(text), `throughput.svg shows ${text}`);
    }
    for (const text of ['influxdb baseline', 'mysql baseline', 'parquet', 'rows per batch']) {
      assert.ok((await svg('batch-sizes.svg')).includes(text), `batch-sizes.svg shows ${text}`);
    }
    for (const text of ['p95', 'p99', ...TARGETS]) assert.ok((await svg('latency.svg')).includes(text), `latency.svg shows ${text}`);
    for (const text of ['client', 'server', 'disk', 'CPU seconds', ...TARGETS]) {
      assert.ok((await svg('resources.svg')).includes(text), `resources.svg shows ${text}`);
    }
  });

  it('leaves out the sweep with one batch size and freshness when nothing was sampled', () => {
    const results = oneBatchSize(benchResultsFixture());
    assert.deepEqual(
      buildCharts(results).map((c) => c.id),
      ['throughput', 'latency', 'resources', 'freshness'],
    );
    for (const run of results.runs) run.freshnessMs = [];
    for (const s of results.summary) s.freshnessMs = null;
    assert.deepEqual(
      buildCharts(results).map((c) => c.id),
      ['throughput', 'latency', 'resources'],
    );
  });

  it('inlines ECharts and requests nothing from the network', async () => {
    const html = await readFile(join(dir, 'full', 'report.html'), 'utf8');
    const bundle = await readFile(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8');
    assert.ok(html.includes(`<script>${bundle}</script>`), 'the ECharts bundle is inlined whole');
    // Outside the bundle (whose code mentions URLs it never loads here; the browser test watches real requests):
    const page = html.replace(bundle, '');
    // In-page links (`href="#..."`) are fine.
    assert.doesNotMatch(page, /\s(src|href)="(?!#)|https?:|url\(/i);
  });

  it('shows the failed verification in red with its message, the server notes and the config', async () => {
    const html = await readFile(join(dir, 'full', 'report.html'), 'utf8');
    const failed = html.match(/<tr class="failed-row">.*<\/tr>/g) ?? [];
    assert.equal(failed.length, 1);
    assert.match(
      failed[0],
      /<td>mysql<\/td><td class="writer">sink<\/td><td class="n">10,000<\/td>.*<td class="n">110,000<\/td><td class="n">100,000<\/td>/,
    );
    assert.match(
      failed[0],
      /<td class="failed"><strong>FAILED<\/strong><br>10000 rows lost: 100000 of 110000 read back from `sb_tsbs_cpu_17`/,
    );
    assert.equal((html.match(/<td class="ok">OK<\/td>/g) ?? []).length, benchResultsFixture().runs.length - 1);
    assert.match(html, /1 of 42 runs FAILED verification/);
    assert.match(html, /StarRocks test peer \(protocol-faithful Stream Load stand-in/);
    assert.match(html, /AMD EPYC 7B13, 2 logical \/ 1 physical cores, 8 GiB memory/);
    assert.match(html, /<dt>Batch sizes<\/dt><dd>1,000, 10,000<\/dd>/);
    assert.doesNotMatch(html, /PARTIAL/);
  });

  it('marks partial results with a banner', async () => {
    const out = join(dir, 'partial');
    await writeReport({ ...benchResultsFixture(), partial: true }, out);
    assert.match(await readFile(join(out, 'report.html'), 'utf8'), /<p class="banner" role="alert"><strong>PARTIAL<\/strong>/);
  });

  it('writes a page without charts when nothing was measured to the end (interrupted in the first run)', async () => {
    const out = join(dir, 'empty');
    const results = benchResultsFixture();
    const run = { ...results.runs[0], batchLatencyMs: [], error: 'interrupted (Ctrl-C)' };
    run.verification = { ...run.verification, rows: 0, checksum: 0, ok: false };
    const paths = await writeReport({ ...results, partial: true, runs: [run], summary: [] }, out);
    assert.deepEqual(paths, [join(out, 'report.html')]);
    const html = await readFile(paths[0], 'utf8');
    assert.match(html, /No charts: no configuration was measured to the end/);
    assert.match(html, /1 of 1 runs FAILED verification.*interrupted \(Ctrl-C\)/s);
  });

  it('escapes a target name with <script> in the page, the chart options and the SVGs', async () => {
    const evil = '<script>alert("x")</script>&{a|b}';
    const out = join(dir, 'evil');
    const paths = await writeReport(benchResultsFixture({ mysql: evil }), out);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    assert.ok(!html.includes('<script>alert'), 'no script element from the name');
    assert.ok(html.includes('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;{a|b}</td>'), 'escaped in the tables');
    const json = /<script type="application\/json" id="chart-options">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    assert.ok(json.includes('\\u003cscript>alert'), 'escaped in the chart options');
    const labels: string[] = JSON.parse(json).throughput.xAxis.data;
    assert.ok(
      labels.some((label) => label.startsWith(`${evil}\n`)),
      'and read back as the same name',
    );
    for (const path of paths.filter((p) => p.endsWith('.svg'))) {
      const svg = await readFile(path, 'utf8');
      assert.ok(!svg.includes('<script'), `${basename(path)} has no script element`);
      assert.equal(xmlProblem(svg), undefined, basename(path));
    }
    assert.ok((await readFile(join(out, 'latency.svg'), 'utf8')).includes('&lt;script&gt;alert(&quot;x&quot;)'));
  });
});

describe('xmlProblem (the check above)', () => {
  it('finds what broke an ECharts SVG once: a double quote inside a double-quoted attribute', () => {
    assert.match(xmlProblem('<svg><text style="font-family:"Segoe UI"">x</text></svg>') ?? '', /malformed tag/);
  });
  it('finds unclosed and crossed tags, raw < and bare & in text; takes CDATA as text', () => {
    assert.match(xmlProblem('<svg><g></svg>') ?? '', /closes <g>/);
    assert.match(xmlProblem('<svg><text>a < b</text></svg>') ?? '', /malformed tag/);
    assert.match(xmlProblem('<svg><text>a & b</text></svg>') ?? '', /bare &/);
    assert.equal(xmlProblem('<svg a="1"><text x=\'2\'>a &amp; b &#39;</text><path d="M0 0"/></svg>'), undefined);
    assert.equal(xmlProblem('<svg><style><![CDATA[\na:hover { x: "<&" }\n]]></style></svg>'), undefined);
    assert.match(xmlProblem('<svg><style><![CDATA[ a </style></svg>') ?? '', /never closed/);
  });
});
