/**
 * `npm run bench -- latency [--batches 30] [--rate 1000] [--pipelines stateless,windowed] [--no-spark]`: per-batch
 * latency at a low rate, the other end of issue 17 from the throughput benches. The pipelines of bench/pyspark
 * (stateless: filter value % 2 == 0 -> tr = triangle(...); windowed: key = value % 1000 -> watermark 1 s -> 1 s
 * tumbling windows -> groupBy(window, key) count, sum, append) on the real-time `rate` source at `--rate` rows/s with
 * a 1 second processingTime trigger, in streamlab and in PySpark local[2] (bench/latency/spark_latency.py) in the
 * same run, one after the other (streamlab first, then Spark's session starts: its JVM would take the cores away).
 * Per engine and pipeline, over the batches after the first 3:
 * - triggerExecution p50 / p99 (the progress event's, Spark's definition; issue 17's aim: <= 20 ms for streamlab);
 * - event-to-sink delay p50 / p99: when the sink has the batch, minus the event time of the batch's newest row and of
 *   its oldest row (windowed: the end of the newest / oldest window emitted). The oldest includes the wait for the
 *   trigger (up to 1 s) and, windowed, the watermark's delay and the batch it takes to move: semantics, the same in both.
 * Both sinks read every row's event time (Spark's also counts and sums one column in the same job); input rows per batch as a sanity check
 * (the two engines' batches need not hold the same seconds of the rate source, their clocks start apart).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildJob } from '../src/config/build-job.js';
import { loadJobValue } from '../src/config/load-job.js';
import type { ColumnBatch } from '../src/core/columnar/column-batch.js';
import { isValid } from '../src/core/columnar/vector.js';
import type { QueryProgress } from '../src/core/progress.js';
import { StreamingQuery } from '../src/core/query.js';
import type { Row } from '../src/core/row.js';
import type { Sink } from '../src/core/sink.js';
import { type Pipeline, type RunResult, streamlabJob } from './pyspark/protocol.js';
import { Worker } from './pyspark/worker.js';
import { median, percentile } from './stats.js';

const WARMUP = 3;
const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '30' },
    rate: { type: 'string', default: '1000' },
    pipelines: { type: 'string', default: 'stateless,windowed' },
    'no-spark': { type: 'boolean', default: false },
    python: { type: 'string', default: process.env.PYTHON ?? 'python3' },
  },
});
const batches = Number(values.batches) + WARMUP;
const rowsPerSecond = Number(values.rate);

/** What one engine measured for one pipeline: per batch id, its triggerExecution, rows and [newest, oldest] delay. */
interface Measured {
  trigger: Record<string, number>;
  rows: Record<string, number>;
  delays: Record<string, [number, number]>;
}

/** The event time of a sink's batch, as epoch ms: the rows' timestamp, or the emitted windows' end. */
class LatencySink implements Sink {
  readonly description = 'BenchLatencySink';
  readonly delays: Record<string, [number, number]> = {};
  constructor(private readonly pipeline: Pipeline) {}
  async open() {}
  async close() {}
  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    const now = Date.now();
    const times = rows.map((row) =>
      (this.pipeline === 'stateless' ? (row.timestamp as Date) : (row.window as { end: Date }).end).getTime(),
    );
    this.record(batchId, now, times.length, Math.max(...times), Math.min(...times));
  }
  async foreachColumns(columns: ColumnBatch, batchId: number): Promise<void> {
    const now = Date.now();
    const time = columns.vector('timestamp');
    if (this.pipeline !== 'stateless' || time?.kind !== 'timestamp') return this.foreachBatch(columns.rows(), batchId);
    let newest = -Infinity;
    let oldest = Infinity;
    for (let k = 0; k < columns.length; k++) {
      const i = columns.position(k);
      if (!isValid(time.valid, i)) continue;
      newest = Math.max(newest, time.values[i]);
      oldest = Math.min(oldest, time.values[i]);
    }
    this.record(batchId, now, columns.length, newest, oldest);
  }
  private record(batchId: number, now: number, rows: number, newest: number, oldest: number): void {
    if (rows > 0) this.delays[batchId] = [now - newest, now - oldest];
  }
}

async function streamlab(pipeline: Pipeline, checkpoint: string): Promise<Measured> {
  const job = { ...streamlabJob(pipeline, 1), source: { type: 'rate', rowsPerSecond }, trigger: { processingTime: '1 second' } };
  const built = buildJob(loadJobValue(job, 'bench-latency.yaml', { env: {} }));
  const sink = new LatencySink(pipeline);
  const query = new StreamingQuery({ ...built.query, sink, checkpointLocation: checkpoint }, { maxBatches: batches });
  const progress: QueryProgress[] = [];
  query.progress$.subscribe((p) => progress.push(p));
  await query.run();
  return {
    trigger: Object.fromEntries(progress.map((p) => [p.batchId, p.durationMs.triggerExecution])),
    rows: Object.fromEntries(progress.map((p) => [p.batchId, p.numInputRows])),
    delays: sink.delays,
  };
}

async function spark(worker: Worker, pipeline: Pipeline, checkpoint: string): Promise<Measured> {
  const request = { pipeline, rowsPerSecond, batches, checkpoint, batchRows: 0, warmup: WARMUP };
  const { result } = await worker.run(request);
  const { delays } = result as RunResult & { delays: Record<string, [number, number]> };
  return {
    trigger: Object.fromEntries(result.batches.map((b) => [b.batchId, b.triggerMs])),
    rows: Object.fromEntries(result.batches.map((b) => [b.batchId, b.numInputRows])),
    delays,
  };
}

/** One table line: the timed batches' (id >= WARMUP) figures. */
function line(engine: string, pipeline: Pipeline, m: Measured): string[] {
  const timed = <T>(record: Record<string, T>) =>
    Object.entries(record)
      .filter(([id]) => Number(id) >= WARMUP)
      .map(([, v]) => v);
  const trigger = timed(m.trigger);
  const delays = timed(m.delays);
  const ms = (xs: number[], p: number) => percentile(xs, p).toFixed(0);
  const newest = delays.map((d) => d[0]);
  const oldest = delays.map((d) => d[1]);
  return [
    pipeline,
    engine,
    String(trigger.length),
    median(timed(m.rows)).toFixed(0),
    `${ms(trigger, 50)} / ${ms(trigger, 99)}`,
    `${ms(newest, 50)} / ${ms(newest, 99)}`,
    `${ms(oldest, 50)} / ${ms(oldest, 99)}`,
  ];
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const format = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(format(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(format(r));
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  const pipelines = values.pipelines.split(',') as Pipeline[];
  const work = mkdtempSync(join(tmpdir(), 'streamlab-bench-latency-'));
  console.log(
    `latency bench: ${pipelines.join(', ')} at ${rowsPerSecond} rows/s, 1 s trigger, ${batches} batches (${WARMUP} not timed); load average ${load()}`,
  );
  const table = [
    [
      'pipeline',
      'engine',
      'batches',
      'input rows / batch',
      'triggerExecution ms p50 / p99',
      'newest event -> sink ms p50 / p99',
      'oldest event -> sink ms p50 / p99',
    ],
  ];
  let n = 0;
  try {
    for (const pipeline of pipelines) {
      table.push(line('streamlab', pipeline, await streamlab(pipeline, join(work, `cp-${++n}`))));
      console.log(`  ${table.at(-1)!.join('  ')}`);
    }
    if (!values['no-spark']) {
      const worker = await Worker.start(
        'spark',
        values.python,
        [resolve(import.meta.dirname, '../../bench/latency/spark_latency.py'), '2'],
        false,
      );
      console.log(`Spark session started in ${(worker.startupMs / 1000).toFixed(1)} s`);
      try {
        for (const pipeline of pipelines) {
          table.push(line('Spark local[2]', pipeline, await spark(worker, pipeline, join(work, `cp-${++n}`))));
          console.log(`  ${table.at(-1)!.join('  ')}`);
        }
      } finally {
        await worker.stop();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log('');
  printTable([table[0], ...table.slice(1).sort((a, b) => a[0].localeCompare(b[0]))]);
  console.log(`load average at the end: ${load()}`);
}

await main();
