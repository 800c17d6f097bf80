/**
 * `npm run bench -- pyspark [--sizes 10k,100k,1m] [--runs 3] [--cores 1] [--pipelines stateless,windowed]`:
 * the pipelines of issue 17 (bench/pyspark/protocol.ts) in streamlab and in PySpark `local[N]`, on the same machine,
 * in the same run. Each engine is one long-lived worker (a Node process; one Python process with one Spark session),
 * both warm after their first query; for every pipeline and batch size the runs alternate streamlab, Spark,
 * streamlab, ... and the table gives medians over the runs of:
 * - rows/s: input rows of the timed batches (all but the first 2) over the wall time from the start of the first
 *   timed batch to the end of the last (progress timestamps + triggerExecution), the same formula for both;
 * - triggerExecution p50 over the timed batches;
 * - peak RSS of the worker's process tree (Node; Python + its JVM) sampled every 100 ms during the query. A JVM
 *   keeps the heap it has grown to, so Spark's figure for a size includes what earlier queries made it take.
 * Every batch's row count and the sum of one column (tr; the windowed count n) are compared between the engines:
 * a difference fails the bench, so the two did the same work.
 * `--cores 1` runs both workers under `taskset -c 0` and Spark as local[1]; the default is local[2], both unpinned.
 * Needs python3 with pyspark 4.3.0 (`pip install pyspark==4.3.0`) and Java 17. 10m: streamlab ~0.5 GB stateless, ~1.6 GB windowed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BatchTiming, Pipeline, RunResult } from './pyspark/protocol.js';
import { Worker } from './pyspark/worker.js';
import { formatRate, median, percentile } from './stats.js';

const WARMUP = 2;
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10k,100k,1m' },
    runs: { type: 'string', default: '3' },
    cores: { type: 'string', default: '2' },
    pipelines: { type: 'string', default: 'stateless,windowed' },
    python: { type: 'string', default: process.env.PYTHON ?? 'python3' },
  },
});
const sizes = values.sizes.split(',').map(parseSize);
const runs = Number(values.runs);
const cores = Number(values.cores);
const pipelines = values.pipelines.split(',') as Pipeline[];

function parseSize(text: string): number {
  const m = /^(\d+)(k|m)?$/i.exec(text.trim());
  if (!m) throw new Error(`--sizes: "${text}" is not a size like 10k or 1m`);
  return Number(m[1]) * ({ k: 1e3, m: 1e6 }[m[2]?.toLowerCase() as 'k' | 'm'] ?? 1);
}

/** Enough batches for ~1M timed rows, 6 to 20 of them (2 warm-up included): Spark takes seconds a batch on a loaded machine. */
const batchesFor = (rows: number) => Math.min(20, Math.max(6, Math.ceil(1_000_000 / rows) + WARMUP));

interface Measured {
  rate: number;
  p50: number;
  rss: number;
}

function measure(result: RunResult, peakRss: number): Measured {
  const timed = result.batches.filter((b) => b.batchId >= WARMUP);
  const rows = timed.reduce((n, b) => n + b.numInputRows, 0);
  const start = Math.min(...timed.map((b) => b.startMs));
  const end = Math.max(...timed.map((b: BatchTiming) => b.startMs + b.triggerMs));
  return {
    rate: (rows / Math.max(1, end - start)) * 1000,
    p50: percentile(
      timed.map((b) => b.triggerMs),
      50,
    ),
    rss: peakRss,
  };
}

/** The engines must have written the same rows: same count and (to rounding) the same sum, batch by batch. */
function compareChecks(what: string, ours: RunResult['checks'], theirs: RunResult['checks']): void {
  for (const [id, [rows, sum]] of Object.entries(ours)) {
    const other = theirs[id];
    if (!other) throw new Error(`${what}: Spark has no batch ${id}`);
    if (other[0] !== rows || Math.abs(other[1] - sum) > 1e-9 * Math.max(1, Math.abs(sum))) {
      throw new Error(`${what}: batch ${id}: streamlab wrote ${rows} rows (sum ${sum}), Spark ${other[0]} (sum ${other[1]})`);
    }
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const pinned = cores === 1;
  const here = import.meta.dirname;
  const root = resolve(here, '../..');
  const work = mkdtempSync(join(tmpdir(), 'streamlab-bench-pyspark-'));
  console.log(
    `pyspark bench: ${pipelines.join(', ')}; batches of ${values.sizes}; ${runs} interleaved runs; Spark local[${cores}]` +
      `${pinned ? ', both pinned to CPU 0' : ''}; ${cpus().length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const streamlab = await Worker.start('streamlab', process.execPath, [join(here, 'pyspark/streamlab-worker.js')], pinned);
  const spark = await Worker.start('spark', values.python, [join(root, 'bench/pyspark/spark_worker.py'), String(cores)], pinned);
  console.log(`start-up: streamlab ${(streamlab.startupMs / 1000).toFixed(1)} s, Spark session ${(spark.startupMs / 1000).toFixed(1)} s`);
  const table: string[][] = [];
  let n = 0;
  try {
    for (const pipeline of pipelines) {
      for (const batchRows of sizes) {
        const ours: Measured[] = [];
        const theirs: Measured[] = [];
        const batches = batchesFor(batchRows);
        for (let run = 0; run < runs; run++) {
          const request = { pipeline, batchRows, batches, warmup: WARMUP };
          const a = await streamlab.run({ ...request, checkpoint: join(work, `cp-${++n}`) });
          const b = await spark.run({ ...request, checkpoint: join(work, `cp-${++n}`) });
          compareChecks(`${pipeline} ${batchRows}`, a.result.checks, b.result.checks);
          ours.push(measure(a.result, a.peakRss));
          theirs.push(measure(b.result, b.peakRss));
          console.log(
            `  ${pipeline} ${formatRate(batchRows)} x ${batches}, run ${run + 1}: streamlab ${formatRate(ours[run].rate)} rows/s, Spark ${formatRate(theirs[run].rate)} rows/s`,
          );
        }
        const s = { rate: median(ours.map((m) => m.rate)), p50: median(ours.map((m) => m.p50)), rss: median(ours.map((m) => m.rss)) };
        const p = { rate: median(theirs.map((m) => m.rate)), p50: median(theirs.map((m) => m.p50)), rss: median(theirs.map((m) => m.rss)) };
        table.push([
          pipeline,
          formatRate(batchRows),
          formatRate(s.rate),
          formatRate(p.rate),
          `${(s.rate / p.rate).toFixed(2)}x`,
          `${s.p50.toFixed(0)} / ${p.p50.toFixed(0)}`,
          `${mb(s.rss)} / ${mb(p.rss)}`,
        ]);
      }
    }
  } finally {
    await Promise.allSettled([streamlab.stop(), spark.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
  const header = ['pipeline', 'batch', 'streamlab rows/s', 'Spark rows/s', 'ratio', 'trigger p50 ms (sl / Spark)', 'peak RSS (sl / Spark)'];
  console.log(
    `\nmedians of ${runs} runs, Spark local[${cores}]${pinned ? ', both on CPU 0' : ''}; every batch's rows and sum identical in both`,
  );
  printTable([header, ...table]);
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

await main();
