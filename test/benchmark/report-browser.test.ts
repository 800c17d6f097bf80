/**
 * report.html in a real browser (Debian's Chromium driven by playwright-core): the charts draw, they carry the
 * targets and series of the results, the verification table shows the failed run, and the page asks for nothing
 * but its own file. The SVG files are parsed by the browser's XML parser too. A full-page screenshot lands in the
 * temp dir, and also at $STREAMLAB_REPORT_SCREENSHOT when set (to look at it).
 */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium as playwright, type Page } from 'playwright-core';
import { buildCharts } from '../../src/benchmark/report/charts.js';
import { writeReport } from '../../src/benchmark/report/index.js';
import { CHROMIUM_ARGS, chromium } from '../support/chromium.js';
import { benchResultsFixture } from './report-fixture.js';

const browserBinary = chromium();
const TARGETS = ['influxdb', 'mysql', 'starrocks', 'parquet'];

/** What the page's chart `id` holds: whether it drew, its non-background pixels, and the names in its option. */
interface DrawnChart {
  instance: boolean;
  canvases: number;
  inkPixels: number;
  totalPixels: number;
  names: string[];
}

async function inspectChart(page: Page, id: string): Promise<DrawnChart> {
  return page.evaluate((chartId) => {
    const el = document.getElementById(chartId) as HTMLElement;
    const w = window as unknown as { echarts: { getInstanceByDom(el: HTMLElement): { getOption(): Record<string, unknown> } | undefined } };
    const instance = w.echarts.getInstanceByDom(el);
    const canvases = [...el.querySelectorAll('canvas')];
    let inkPixels = 0;
    let totalPixels = 0;
    for (const canvas of canvases) {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      totalPixels += data.length / 4;
      // Ink: any pixel that is neither transparent nor the white background.
      for (let i = 0; i < data.length; i += 4)
        if (data[i + 3] > 0 && (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245)) inkPixels++;
    }
    const option = (instance?.getOption() ?? {}) as {
      series?: { name?: string }[];
      xAxis?: { data?: string[] }[];
      yAxis?: { data?: string[] }[];
    };
    const names = [
      ...(option.series ?? []).map((s) => s.name ?? ''),
      ...(option.xAxis ?? []).flatMap((a) => a.data ?? []),
      ...(option.yAxis ?? []).flatMap((a) => a.data ?? []),
    ];
    return { instance: instance !== undefined, canvases: canvases.length, inkPixels, totalPixels, names };
  }, id);
}

describeOrSkip('report.html in headless Chromium', { skip: browserBinary.skip }, () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];
  const results = benchResultsFixture();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'streamlab-report-browser-'));
    await writeReport(results, dir);
    browser = await playwright.launch({ executablePath: browserBinary.executablePath, args: CHROMIUM_ARGS, timeout: 120_000 });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Anything but a file of the report is refused (and recorded above), so a CDN reference cannot pass unnoticed.
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { timeout: 120_000 });
    await page.waitForSelector('html[data-charts="drawn"]', { timeout: 120_000 });
  });

  after(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('draws every chart: an ECharts instance with a canvas that is not blank', async () => {
    const ids = buildCharts(results).map((c) => c.id);
    assert.deepEqual(ids, ['throughput', 'latency', 'batch-sizes', 'resources', 'freshness']);
    for (const id of ids) {
      const chart = await inspectChart(page, id);
      assert.ok(chart.instance, `${id}: an ECharts instance`);
      assert.ok(chart.canvases > 0, `${id}: a canvas`);
      assert.ok(chart.inkPixels / chart.totalPixels > 0.02, `${id}: ${chart.inkPixels} of ${chart.totalPixels} pixels drawn`);
    }
    assert.deepEqual(pageErrors, []);
  });

  it('puts the targets and series of the results into the charts', async () => {
    const names = async (id: string) => (await inspectChart(page, id)).names.join('\n');
    const throughput = await names('throughput');
    for (const name of ['streamlab sink', "server's bulk path (baseline)", ...TARGETS])
      assert.ok(throughput.includes(name), `throughput: ${name}`);
    assert.ok(throughput.includes('mysql\nbatch 10,000\nverification FAILED'), 'throughput: the failed configuration is marked');
    const sweep = await names('batch-sizes');
    for (const name of ['influxdb', 'influxdb baseline', 'mysql baseline', 'starrocks', 'parquet'])
      assert.ok(sweep.split('\n').includes(name), `sweep: ${name}`);
    for (const id of ['latency', 'resources']) {
      const text = await names(id);
      for (const target of TARGETS) assert.ok(text.includes(target), `${id}: ${target}`);
    }
  });

  it('shows FAILED, in red, for the run that lost rows, and OK for the others', async () => {
    const cells = await page.$$eval('#verification tbody tr', (rows) =>
      rows.map((row) => {
        const last = row.lastElementChild as HTMLElement;
        return {
          target: row.children[0].textContent,
          batch: row.children[2].textContent,
          result: last.textContent ?? '',
          color: getComputedStyle(last).color,
        };
      }),
    );
    assert.equal(cells.length, results.runs.length);
    const failed = cells.filter((c) => c.result.startsWith('FAILED'));
    assert.equal(failed.length, 1);
    assert.equal(failed[0].target, 'mysql');
    assert.equal(failed[0].batch, '10,000');
    assert.match(failed[0].result, /10000 rows lost: 100000 of 110000 read back/);
    assert.equal(failed[0].color, 'rgb(180, 35, 24)');
    assert.equal(cells.filter((c) => c.result === 'OK').length, results.runs.length - 1);
  });

  it('requests nothing but its own file', () => {
    assert.ok(requests.length > 0);
    assert.deepEqual(
      requests.filter((url) => !url.startsWith('file:')),
      [],
    );
  });

  it('writes SVG files the browser parses as XML', async () => {
    for (const { id } of buildCharts(results)) {
      const svg = await readFile(join(dir, `${id}.svg`), 'utf8');
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {
          error: doc.querySelector('parsererror')?.textContent ?? null,
          root: doc.documentElement.nodeName,
          paths: doc.querySelectorAll('path').length,
        };
      }, svg);
      assert.equal(parsed.error, null, `${id}.svg`);
      assert.equal(parsed.root, 'svg');
      assert.ok(parsed.paths > 20, `${id}.svg: ${parsed.paths} paths`);
    }
  });

  it('takes a screenshot of the whole page', async () => {
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true, timeout: 120_000 });
    const png = await readFile(shot);
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(png.length > 50_000, `${png.length} bytes`);
    if (process.env.STREAMLAB_REPORT_SCREENSHOT) await copyFile(shot, process.env.STREAMLAB_REPORT_SCREENSHOT);
  });
});
