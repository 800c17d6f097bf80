/**
 * What the bench (bench/pyspark.ts) and its two workers say to each other, one JSON object per line: the bench
 * writes a RunRequest on the worker's stdin, the worker answers with a RunResult on its stdout. The Spark worker
 * (spark_worker.py) speaks the same shape; keep the two in step.
 */

/** The two pipelines of issue 17, the same in both engines. */
export type Pipeline = 'stateless' | 'windowed';

export interface RunRequest {
  pipeline: Pipeline;
  /** Rows per micro-batch (rate-micro-batch's rowsPerBatch). */
  batchRows: number;
  /** Micro-batches to run; the first `warmup` are not timed. */
  batches: number;
  warmup: number;
  /** A fresh folder for the query's checkpoint. */
  checkpoint: string;
}

export interface BatchTiming {
  batchId: number;
  numInputRows: number;
  /** Batch start, epoch ms (the progress event's timestamp). */
  startMs: number;
  /** durationMs.triggerExecution of the progress event. */
  triggerMs: number;
}

export interface RunResult {
  batches: BatchTiming[];
  /**
   * What the counting sink saw, batch by batch (batch id -> [rows, sum]): stateless sums `tr`, windowed sums the
   * count column `n`. Both engines must agree: the check that they did the same work.
   */
  checks: Record<string, [number, number]>;
  error?: string;
}

/** The first line a worker prints once it can take requests. */
export interface Ready {
  ready: true;
}

/**
 * The pipelines, written once for streamlab as a job's operators (the Spark worker writes the same in PySpark):
 * - stateless: rate-micro-batch -> filter value % 2 == 0 -> tr = triangle(value, 0, 30, 10) -> counting sink;
 * - windowed: rate-micro-batch (each batch one second of event time) -> key = value % 1000 -> watermark 1 s ->
 *   1-second tumbling windows -> groupBy(window, key) count and sum(value), append mode -> counting sink.
 */
export const KEYS = 1000;

export function streamlabJob(pipeline: Pipeline, batchRows: number): Record<string, unknown> {
  const source = { type: 'rate-micro-batch', rowsPerBatch: batchRows, advanceMillisPerBatch: 1000 };
  if (pipeline === 'stateless') {
    return {
      name: 'bench-pyspark-stateless',
      source,
      operators: [{ filter: 'value % 2 == 0' }, { withColumn: { name: 'tr', expr: 'triangle(value, 0, 30, 10)' } }],
      sink: { type: 'console' },
    };
  }
  return {
    name: 'bench-pyspark-windowed',
    source,
    operators: [
      { withColumn: { name: 'key', expr: `value % ${KEYS}` } },
      { withWatermark: { column: 'timestamp', delay: '1 second' } },
      { window: { column: 'timestamp', size: '1 second' } },
      { groupBy: { keys: ['window', 'key'], agg: { n: 'count()', total: 'sum(value)' } } },
    ],
    sink: { type: 'console' },
    outputMode: 'append',
  };
}

/** The column the counting sink sums. */
export const checkedColumn = (pipeline: Pipeline) => (pipeline === 'stateless' ? 'tr' : 'n');
