/**
 * The live UI in a real browser (Debian's Chromium driven by playwright-core): `streamlab run <job> --ui` on a rate
 * job and on the late-data job. The charts draw and grow with the batches, the batch table grows, a click shows a
 * batch's progress object, Stop stops the query gracefully (its last batch committed), a reload shows the final
 * state, and the page asks for nothing outside the process. Screenshots land in $STREAMLAB_UI_SCREENSHOTS when set
 * (docs/images uses them).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { type Browser, chromium as playwright, type Page } from 'playwright-core';
import { exited, repoRoot, startCli } from '../support/cli.js';
import { CHROMIUM_ARGS, chromium } from '../support/chromium.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { makeTempDir } from '../support/temp-dir.js';
import { serveProject } from './serve-jobs.js';

const browserBinary = chromium();
const UI_READY = /UI at (http:\/\/127\.0\.0\.1:\d+)\//;

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.STREAMLAB_UI_SCREENSHOTS;
  if (dir) await page.screenshot({ path: join(dir, name), fullPage: true });
}

/** Ink (non-white, non-transparent pixels) of the canvases inside `selector`: 0 when nothing was drawn. */
function ink(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    let pixels = 0;
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>(`${sel} canvas`)) {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245)) pixels++;
    }
    return pixels;
  }, selector);
}

const points = (page: Page, id: string) => page.$eval(`#${id}`, (el) => Number((el as HTMLElement).dataset.points ?? 0));
const tableRows = (page: Page) => page.$$eval('#batches tbody tr', (rows) => rows.length);

describeOrSkip('the web UI of streamlab run --ui, in Chromium', { skip: browserBinary.skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await playwright.launch({ executablePath: browserBinary.executablePath, args: CHROMIUM_ARGS });
  });
  after(async () => browser?.close());

  it('draws a running rate job live, shows a batch on click, and stops it gracefully from the page', async () => {
    const dir = serveProject();
    const { child, output } = await startCli(['run', 'fast', '--ui', '0'], dir, UI_READY);
    const base = UI_READY.exec(output())![1];
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) foreign.push(r.url());
    });
    try {
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.querySelectorAll('#batches tbody tr').length >= 3);
      const early = await points(page, 'chart-rates');
      assert.ok((await ink(page, '#chart-rates')) > 500, 'the rates chart drew');
      assert.ok((await ink(page, '#chart-phases')) > 500, 'the phases chart drew');
      await page.waitForFunction((n) => Number((document.getElementById('chart-rows') as HTMLElement).dataset.points) >= n + 3, early);
      assert.ok((await tableRows(page)) >= early + 3, 'the batch table grows with the charts');
      assert.equal(await page.textContent('#status'), 'running');
      await page.click('#batches tbody tr:last-child');
      const shownId = Number(await page.getAttribute('#batches tbody tr.selected', 'data-batch'));
      const detail = JSON.parse((await page.textContent('#detail')) ?? '{}');
      assert.equal(detail.batchId, shownId, "a click shows that batch's progress object");
      assert.match((await page.textContent('#plan')) ?? '', /Input: RateStream\(rowsPerSecond=200/);
      await screenshot(page, 'ui-rate.png');

      await page.click('#stop');
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'stopped');
      await page.reload();
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'stopped');
      const lastShown = Number(await page.getAttribute('#batches tbody tr:first-child', 'data-batch'));
      const committed = Math.max(...readdirSync(join(dir, 'checkpoints/fast/commits')).map(Number));
      assert.equal(lastShown, committed, 'after a reload the page shows the final state: the last committed batch');
      assert.deepEqual(foreign, [], 'the page loads nothing from elsewhere (no CDN)');
      child.kill('SIGINT');
      assert.equal(await exited(child), 0);
    } finally {
      await page.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('shows the late-data job: watermark, late rows and the windows timeline', async () => {
    const checkpoint = join(makeTempDir('streamlab-ui-late-'), 'checkpoint');
    const { child, output } = await startCli(['run', 'late-data', '--ui', '0', '--checkpoint', checkpoint], repoRoot, UI_READY);
    const base = UI_READY.exec(output())![1];
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'stopped');
      assert.ok(!(await page.$eval('#fig-watermark', (el) => (el as HTMLElement).hidden)), 'the watermark chart is shown');
      assert.ok((await ink(page, '#chart-watermark')) > 300, 'and drawn');
      const windows = await page.$$eval('#windows svg rect', (rects) => rects.map((r) => r.textContent ?? ''));
      assert.ok(windows.length >= 5, `the timeline draws the windows (${windows.length})`);
      assert.ok(windows.some((w) => /closed in batch \d+/.test(w)) && windows.some((w) => /open since batch/.test(w)));
      const lateCells = await page.$$eval('#batches tbody tr td:last-child', (tds) => tds.map((td) => Number(td.textContent)));
      assert.ok(
        lateCells.some((n) => n > 0),
        'a batch shows its late rows',
      );
      await screenshot(page, 'ui-late-data.png');
      child.kill('SIGINT');
      assert.equal(await exited(child), 0);
    } finally {
      await page.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
