/**
 * `npm run bench:engine -- cores`: the stateless pipeline of bench pyspark (rate-micro-batch -> filter `value % 2 == 0`
 * -> withColumn tr = triangle(value, 0, 30, 10) -> a counting sink reading the `tr` column) on one thread (cores 1)
 * and with its stateless stage split across two threads (cores 2), interleaved, per batch size. Baseline in the same
 * run: a plain single-thread loop over typed arrays doing the same work. Rows/s come from the progress events'
 * triggerExecution, the first batch of every run left out (it starts the worker thread); every run's row count and sum
 * are checked against the one-thread run's, and the stage's counts show the batches really were split.
 *
 * BENCH_SIZES (default 10k,100k,1m,10m), BENCH_RUNS (3), BENCH_MIN_ROWS (the split threshold; default the engine's).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildJob } from '../src/config/build-job.js';
import { loadJobValue } from '../src/config/load-job.js';
import type { ColumnBatch } from '../src/core/columnar/column-batch.js';
import type { ParallelStageOperator } from '../src/core/columnar/parallel/stage.js';
import { StreamingQuery } from '../src/core/query.js';
import type { Sink } from '../src/core/sink.js';
import { formatRate, median } from './stats.js';

const SIZES = (process.env.BENCH_SIZES ?? '10k,100k,1m,10m').split(',').map(parseSize);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MIN_ROWS = process.env.BENCH_MIN_ROWS === undefined ? undefined : Number(process.env.BENCH_MIN_ROWS);

function parseSize(text: string): number {
  const match = /^(\d+)([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`BENCH_SIZES: '${text}' is not a size like 100k or 1m`);
  return Number(match[1]) * ({ '': 1, k: 1_000, m: 1_000_000 } as Record<string, number>)[match[2].toLowerCase()];
}

/** Batches per run: enough rows to measure, at least 3 timed batches. */
const batchesFor = (size: number) => 1 + Math.max(3, Math.ceil(2_000_000 / size));

function triangle(x: number, phase: number, length: number, amplitude: number): number {
  const alpha = amplitude / (length / 2);
  const m = (((x + phase) % length) + length) % length;
  return -amplitude / 2 + amplitude - alpha * Math.abs(m - length / 2);
}

/** The same work over typed arrays on one thread, for `batches` batches of `size`: the plain loop's rows/s. */
function typedArrayLoop(size: number, batches: number): number {
  const start = performance.now();
  let sum = 0;
  for (let b = 0; b < batches; b++) {
    const values = new Float64Array(size);
    const timestamps = new Float64Array(size).fill(b * 1000);
    for (let i = 0; i < size; i++) values[i] = b * size + i;
    const selection = new Int32Array(size);
    let n = 0;
    for (let i = 0; i < size; i++) if (values[i] % 2 === 0) selection[n++] = i;
    const tr = new Float64Array(size);
    for (let k = 0; k < n; k++) tr[selection[k]] = triangle(values[selection[k]], 0, 30, 10);
    for (let k = 0; k < n; k++) sum += tr[selection[k]] + timestamps[0] * 0;
  }
  if (Number.isNaN(sum)) throw new Error('baseline sum is NaN');
  return (size * batches) / ((performance.now() - start) / 1000);
}

/** Counts the rows and sums `tr`, from columns. */
class CountingSink implements Sink {
  readonly description = 'BenchCountingSink';
  rows = 0;
  sum = 0;
  async open() {}
  async foreachBatch(): Promise<void> {
    throw new Error('the bench sink reads columns only');
  }
  async foreachColumns(columns: ColumnBatch): Promise<void> {
    const tr = columns.vector('tr');
    if (tr?.kind !== 'number') throw new Error('tr is not a number vector');
    for (let k = 0; k < columns.length; k++) this.sum += tr.values[columns.position(k)];
    this.rows += columns.length;
  }
  async close() {}
}

interface RunResult {
  rate: number;
  rows: number;
  sum: number;
  sliced: number;
}

async function engine(dir: string, size: number, cores: number): Promise<RunResult> {
  const value = {
    name: `bench-cores-${cores}`,
    source: { type: 'rate-micro-batch', rowsPerBatch: size },
    operators: [{ filter: 'value % 2 == 0' }, { withColumn: { name: 'tr', expr: 'triangle(value, 0, 30, 10)' } }],
    sink: { type: 'console' },
  };
  const built = buildJob(loadJobValue(value, 'bench-cores.yaml', { env: {} }));
  const sink = new CountingSink();
  const checkpointLocation = await mkdtemp(join(dir, 'cp-'));
  const query = new StreamingQuery(
    { ...built.query, sink, cores, checkpointLocation },
    { maxBatches: batchesFor(size), pollMs: 1, ...(MIN_ROWS === undefined ? {} : { parallelMinRows: MIN_ROWS }) },
  );
  const timed: number[] = [];
  query.progress$.subscribe((p) => {
    if (p.batchId > 0) timed.push(p.durationMs.triggerExecution ?? 0);
  });
  await query.run();
  const stage = (query as unknown as { planned: Array<Partial<ParallelStageOperator>> }).planned[0];
  const ms = timed.reduce((a, b) => a + b, 0);
  return { rate: (size * timed.length) / (ms / 1000), rows: sink.rows, sum: sink.sum, sliced: stage.counts?.sliced ?? 0 };
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'streamlab-bench-cores-'));
  const load = () => loadavg()[0].toFixed(1);
  console.log(`cores bench: batch sizes ${SIZES.map((s) => formatRate(s)).join(', ')}; ${RUNS} interleaved runs; load average ${load()}`);
  const table: string[][] = [];
  try {
    for (const size of SIZES) {
      const rates = { loop: [] as number[], one: [] as number[], two: [] as number[] };
      let sliced = 0;
      for (let run = 0; run < RUNS; run++) {
        rates.loop.push(typedArrayLoop(size, batchesFor(size) - 1));
        const one = await engine(dir, size, 1);
        const two = await engine(dir, size, 2);
        if (one.rows !== two.rows || one.sum !== two.sum) {
          throw new Error(`batch ${size}: cores 1 wrote ${one.rows} rows (sum ${one.sum}), cores 2 ${two.rows} (sum ${two.sum})`);
        }
        rates.one.push(one.rate);
        rates.two.push(two.rate);
        sliced = two.sliced;
        console.log(
          `  ${formatRate(size)} x ${batchesFor(size)}, run ${run + 1}: loop ${formatRate(rates.loop[run])}, cores 1 ${formatRate(one.rate)}, ` +
            `cores 2 ${formatRate(two.rate)} rows/s (${two.sliced} batches split; load ${load()})`,
        );
      }
      const [loop, one, two] = [median(rates.loop), median(rates.one), median(rates.two)];
      table.push([formatRate(size), formatRate(loop), formatRate(one), formatRate(two), `${(two / one).toFixed(2)}x`, String(sliced)]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\nmedians of ${RUNS} runs (rows/s; first batch of each run not timed); load average now ${load()}`);
  console.log('| batch | typed-array loop, 1 thread | cores 1 | cores 2 | cores 2 / cores 1 | batches split (last run) |');
  console.log('|---|---|---|---|---|---|');
  for (const row of table) console.log(`| ${row.join(' | ')} |`);
}

await main();
