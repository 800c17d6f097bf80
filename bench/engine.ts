/**
 * `npm run bench:engine`: the engine's per-row cost against a plain loop doing the same work, and the per-batch
 * cost of the checkpoint (offsets + commit entries, fsync included).
 *
 * Engine: rate-micro-batch (unthrottled) -> filter `value % 2 == 0` -> withColumn tr = triangle(value, 0, 30, 10)
 * -> a sink that drops the rows, for ROWS rows in batches of BATCH. Baseline, in the same process: a `for` loop that
 * builds the same rows, keeps the even ones and adds the same triangle value. Each side runs RUNS times
 * (alternating); the report gives medians and their ratio.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readStream, rateMicroBatch } from '../src/index.js';
import { Checkpoint } from '../src/core/checkpoint/checkpoint.js';
import type { Row } from '../src/core/row.js';
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

function plainLoop(): number {
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
  if (kept !== ROWS / 2) throw new Error(`baseline kept ${kept} rows, expected ${ROWS / 2}`);
  return ROWS / seconds;
}

async function engine(dir: string, run: number): Promise<number> {
  let kept = 0;
  const start = performance.now();
  await readStream(rateMicroBatch({ rowsPerBatch: BATCH }))
    .filter('value % 2 == 0')
    .withColumn('tr', 'triangle(value, 0, 30, 10)')
    .writeStream({ checkpointLocation: join(dir, `engine-${run}`), maxBatches: ROWS / BATCH })
    .foreachBatch((rows) => {
      kept += rows.length;
    })
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
    const loopRates: number[] = [];
    const engineRates: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      loopRates.push(plainLoop());
      engineRates.push(await engine(dir, run));
      console.log(`  run ${run + 1}: plain loop ${formatRate(loopRates[run])} rows/s, engine ${formatRate(engineRates[run])} rows/s`);
    }
    const loop = median(loopRates);
    const eng = median(engineRates);
    const overhead = await checkpointOverhead(dir);
    console.log('');
    console.log(`plain loop (median):  ${formatRate(loop)} rows/s`);
    console.log(`engine (median):      ${formatRate(eng)} rows/s`);
    console.log(`ratio engine / loop:  ${((eng / loop) * 100).toFixed(1)}%  (aim >= 25%)`);
    console.log(
      `per-batch checkpoint overhead (offsets + commit, fsync), ${CHECKPOINT_BATCHES} batches: p50 ${percentile(overhead, 50).toFixed(2)} ms, p99 ${percentile(overhead, 99).toFixed(2)} ms  (aim p50 <= 2 ms)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// `npm run bench:engine -- window`: the event-time windowed aggregation benchmark (bench/window.ts).
if (process.argv[2] === 'window') await import('./window.js');
else await main();
