/**
 * `npm run bench:engine`: the engine's per-row cost against a plain loop doing the same work, and the per-batch
 * cost of the checkpoint (offsets + commit entries, fsync included).
 *
 * Engine: rate-micro-batch (unthrottled) -> filter `value % 2 == 0` -> withColumn tr = triangle(value, 0, 30, 10)
 * -> a sink that counts the rows, for ROWS rows in batches of BATCH, twice: with a sink that takes columns
 * (foreachColumns: the batch stays columnar end to end) and with a foreachBatch sink (rows built at the edge).
 * Baseline, in the same process: a plain loop over typed arrays doing the same work (fill the two columns, keep the
 * even positions, compute the triangle for them): the honest limit of the columnar engine. The plain loop over row
 * objects (the earlier baseline) is printed for reference. Each side runs RUNS times (alternating); the report
 * gives medians and their ratio.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readStream, rateMicroBatch } from '../src/index.js';
import { Checkpoint } from '../src/core/checkpoint/checkpoint.js';
import type { ColumnBatch } from '../src/core/columnar/column-batch.js';
import type { Row } from '../src/core/row.js';
import type { Sink } from '../src/core/sink.js';
import { formatRate, median, percentile } from './stats.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHECKPOINT_BATCHES = 200;

/** The course's triangle, written out by hand for the baseline (Python's modulo: sign of the divisor). */
function triangle(x: number, phase: number, length: number, amplitude: number): number {
  const alpha = amplitude / (length / 2);
  const m = (((x + phase) % length) + length) % length;
  return -amplitude / 2 + amplitude - alpha * Math.abs(m - length / 2);
}

/** The baseline: the same work over typed arrays (one batch's columns, a selection, the triangle column). */
function typedArrayLoop(): number {
  let kept = 0;
  const start = performance.now();
  for (let from = 0; from < ROWS; from += BATCH) {
    const timestamps = new Float64Array(BATCH).fill(from);
    const values = new Float64Array(BATCH);
    for (let i = 0; i < BATCH; i++) values[i] = from + i;
    const selection = new Int32Array(BATCH);
    let n = 0;
    for (let i = 0; i < BATCH; i++) if (values[i] % 2 === 0) selection[n++] = i;
    const tr = new Float64Array(BATCH);
    for (let k = 0; k < n; k++) tr[selection[k]] = triangle(values[selection[k]], 0, 30, 10);
    kept += n + (timestamps[0] === from ? 0 : 1);
  }
  const seconds = (performance.now() - start) / 1000;
  if (kept !== ROWS / 2) throw new Error(`baseline kept ${kept} rows, expected ${ROWS / 2}`);
  return ROWS / seconds;
}

/** The earlier baseline: a plain loop over row objects (one object per row, copied to add the column). */
function rowObjectLoop(): number {
  let kept = 0;
  const start = performance.now();
  for (let from = 0; from < ROWS; from += BATCH) {
    const timestamp = new Date(from);
    const rows: Row[] = new Array(BATCH);
    for (let v = from; v < from + BATCH; v++) rows[v - from] = { timestamp, value: v };
    const out: Row[] = [];
    for (const row of rows) {
      if ((row.value as number) % 2 === 0) out.push({ ...row, tr: triangle(row.value as number, 0, 30, 10) });
    }
    kept += out.length;
  }
  const seconds = (performance.now() - start) / 1000;
  if (kept !== ROWS / 2) throw new Error(`row loop kept ${kept} rows, expected ${ROWS / 2}`);
  return ROWS / seconds;
}

/** The engine, to a sink that takes columns (`columnar`) or rows. */
async function engine(dir: string, name: string, columnar: boolean): Promise<number> {
  let kept = 0;
  const sink: Sink = {
    description: 'CountingSink',
    open: async () => {},
    foreachBatch: async (rows) => {
      kept += rows.length;
    },
    ...(columnar
      ? {
          foreachColumns: async (columns: ColumnBatch) => {
            kept += columns.length;
          },
        }
      : {}),
    close: async () => {},
  };
  const start = performance.now();
  await readStream(rateMicroBatch({ rowsPerBatch: BATCH }))
    .filter('value % 2 == 0')
    .withColumn('tr', 'triangle(value, 0, 30, 10)')
    .writeStream({ checkpointLocation: join(dir, name), maxBatches: ROWS / BATCH })
    .start(sink)
    .awaitTermination();
  const seconds = (performance.now() - start) / 1000;
  if (kept !== ROWS / 2) throw new Error(`engine kept ${kept} rows, expected ${ROWS / 2}`);
  return ROWS / seconds;
}

/** What the engine adds per batch to make it recoverable: the two log entries, fsync'ed, and the purge. */
async function checkpointOverhead(dir: string): Promise<number[]> {
  const checkpoint = await Checkpoint.open(join(dir, 'wal'), 'bench');
  const times: number[] = [];
  try {
    for (let id = 0; id < CHECKPOINT_BATCHES; id++) {
      const start = performance.now();
      await checkpoint.writeOffsets({
        batchId: id,
        batchWatermarkMs: 0,
        batchTimestampMs: Date.now(),
        lateEventsWatermarkMs: 0,
        offsets: [id * BATCH],
      });
      await checkpoint.writeCommit(id, { nextBatchWatermarkMs: 0 });
      await checkpoint.purge(id, 100);
      times.push(performance.now() - start);
    }
  } finally {
    await checkpoint.close();
  }
  return times;
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'streamlab-bench-'));
  try {
    console.log(
      `engine bench: ${ROWS.toLocaleString()} rows in batches of ${BATCH.toLocaleString()}, ${RUNS} runs each, checkpoint in ${dir}`,
    );
    const rates = { loop: [] as number[], columns: [] as number[], rows: [] as number[], rowLoop: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      rates.loop.push(typedArrayLoop());
      rates.columns.push(await engine(dir, `columns-${run}`, true));
      rates.rows.push(await engine(dir, `rows-${run}`, false));
      rates.rowLoop.push(rowObjectLoop());
      console.log(
        `  run ${run + 1}: typed-array loop ${formatRate(rates.loop[run])}, engine to a columnar sink ${formatRate(rates.columns[run])}, ` +
          `to a row sink ${formatRate(rates.rows[run])}, row-object loop ${formatRate(rates.rowLoop[run])} rows/s`,
      );
    }
    const loop = median(rates.loop);
    const ratio = (rate: number) => `${((rate / loop) * 100).toFixed(1)}% of the typed-array loop`;
    console.log('');
    console.log(`typed-array loop (median):          ${formatRate(loop)} rows/s`);
    console.log(
      `engine, columnar sink (median):     ${formatRate(median(rates.columns))} rows/s  ${ratio(median(rates.columns))}  (aim >= 25%)`,
    );
    console.log(`engine, row sink (median):          ${formatRate(median(rates.rows))} rows/s  ${ratio(median(rates.rows))}`);
    console.log(`row-object loop (median):           ${formatRate(median(rates.rowLoop))} rows/s  ${ratio(median(rates.rowLoop))}`);
    const overhead = await checkpointOverhead(dir);
    console.log(
      `per-batch checkpoint overhead (offsets + commit, fsync), ${CHECKPOINT_BATCHES} batches: p50 ${percentile(overhead, 50).toFixed(2)} ms, p99 ${percentile(overhead, 99).toFixed(2)} ms  (aim p50 <= 2 ms)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// `npm run bench:engine -- window`: the event-time windowed aggregation benchmark (bench/window.ts);
// `-- cores`: the stateless pipeline on one thread and on two (bench/parallel.ts).
if (process.argv[2] === 'window') await import('./window.js');
else if (process.argv[2] === 'cores') await import('./parallel.js');
else await main();
