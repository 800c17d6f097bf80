/**
 * `npm run bench -- ui-overhead`: what a connected browser costs the engine. The engine bench's pipeline
 * (rate-micro-batch -> filter -> triangle -> a counting foreachBatch) runs RUNS times without the UI and RUNS times
 * watched by the UI server with Debian's Chromium showing the query's page live (Server-Sent Events, charts redrawn
 * per batch), alternating; the report gives the medians and the overhead. Small batches (BENCH_BATCH, default 10,000
 * rows) on purpose: the UI's cost is per batch, so this is where it shows most.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { rateMicroBatch, readStream } from '../src/index.js';
import { silentLogger } from '../src/core/logger.js';
import { UiServer } from '../src/serve/http-server.js';
import { QueryMetrics } from '../src/serve/metrics.js';
import { QueryHub } from '../src/serve/query-hub.js';
import { formatRate, median } from './stats.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 2_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHROMIUM = process.env.STREAMLAB_CHROMIUM || '/usr/bin/chromium';

async function engine(checkpoint: string, watch?: (query: import('../src/core/query.js').StreamingQuery) => void): Promise<number> {
  let kept = 0;
  const start = performance.now();
  const running = readStream(rateMicroBatch({ rowsPerBatch: BATCH }))
    .filter('value % 2 == 0')
    .withColumn('tr', 'triangle(value, 0, 30, 10)')
    .writeStream({ checkpointLocation: checkpoint, maxBatches: ROWS / BATCH })
    .foreachBatch((rows) => {
      kept += rows.length;
    });
  watch?.(running.query);
  await running.awaitTermination();
  const seconds = (performance.now() - start) / 1000;
  if (kept !== ROWS / 2) throw new Error(`kept ${kept} rows, expected ${ROWS / 2}`);
  return ROWS / seconds;
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'streamlab-bench-ui-'));
  const hub = new QueryHub();
  const server = new UiServer({ hub, metrics: new QueryMetrics(hub), host: '127.0.0.1' });
  const port = await server.listen(0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    console.log(
      `UI overhead: ${ROWS.toLocaleString()} rows in batches of ${BATCH.toLocaleString()}, ${RUNS} runs each, Chromium connected`,
    );
    const plain: number[] = [];
    const watched: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      plain.push(await engine(join(dir, `plain-${run}`)));
      const name = `engine-${run}`;
      const view = hub.watch(name, '(bench)', silentLogger);
      await page.goto(`http://127.0.0.1:${port}/#${name}`);
      await page.waitForFunction(() => document.getElementById('connection')?.textContent === 'live');
      watched.push(await engine(join(dir, `ui-${run}`), (query) => view.attach(query)));
      hub.ended(name);
      const shown = await page.$$eval('#batches tbody tr', (rows) => rows.length);
      console.log(
        `  run ${run + 1}: without UI ${formatRate(plain[run])} rows/s, with UI + browser ${formatRate(watched[run])} rows/s (page shows ${shown} batches, ${server.droppedEvents} events dropped so far)`,
      );
    }
    const without = median(plain);
    const withUi = median(watched);
    console.log('');
    console.log(`without UI (median):        ${formatRate(without)} rows/s`);
    console.log(`with UI + browser (median): ${formatRate(withUi)} rows/s`);
    console.log(`overhead:                   ${((1 - withUi / without) * 100).toFixed(1)}%  (aim < 5%)`);
  } finally {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
