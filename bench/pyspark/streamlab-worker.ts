/**
 * The streamlab side of `npm run bench -- pyspark`: a long-lived process (so that, like the Spark session, it is
 * warm after its first query) that runs one query per RunRequest read on stdin, built from a job as `streamlab run`
 * builds it, with the job's sink swapped for a counting sink, and answers with the progress timings and the sums.
 */
import { createInterface } from 'node:readline';
import { buildJob } from '../../src/config/build-job.js';
import { loadJobValue } from '../../src/config/load-job.js';
import type { ColumnBatch } from '../../src/core/columnar/column-batch.js';
import { isValid } from '../../src/core/columnar/vector.js';
import type { QueryProgress } from '../../src/core/progress.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import type { Sink } from '../../src/core/sink.js';
import { checkedColumn, streamlabJob, type RunRequest, type RunResult } from './protocol.js';

/** Counts the rows of each batch and sums one column: the least a sink can do while still reading every row. */
class CountingSink implements Sink {
  readonly description = 'BenchCountingSink';
  readonly checks: Record<string, [number, number]> = {};
  constructor(private readonly column: string) {}
  async open() {}
  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    let sum = 0;
    for (const row of rows) sum += Number(row[this.column] ?? 0);
    this.checks[batchId] = [rows.length, sum];
  }
  async foreachColumns(columns: ColumnBatch, batchId: number): Promise<void> {
    const vector = columns.vector(this.column);
    if (vector?.kind !== 'number') return this.foreachBatch(columns.rows(), batchId);
    const { values, valid } = vector;
    let sum = 0;
    const n = columns.length;
    for (let k = 0; k < n; k++) {
      const i = columns.position(k);
      if (isValid(valid, i)) sum += values[i];
    }
    this.checks[batchId] = [n, sum];
  }
  async close() {}
}

async function run(request: RunRequest): Promise<RunResult> {
  const built = buildJob(loadJobValue(streamlabJob(request.pipeline, request.batchRows), 'bench-pyspark.yaml', { env: {} }));
  const sink = new CountingSink(checkedColumn(request.pipeline));
  const query = new StreamingQuery(
    { ...built.query, sink, checkpointLocation: request.checkpoint },
    { maxBatches: request.batches, pollMs: 1 },
  );
  const progress: QueryProgress[] = [];
  query.progress$.subscribe((p) => progress.push(p));
  await query.run();
  return {
    batches: progress.map((p) => ({
      batchId: p.batchId,
      numInputRows: p.numInputRows,
      startMs: Date.parse(p.timestamp),
      triggerMs: p.durationMs.triggerExecution,
    })),
    checks: sink.checks,
  };
}

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  let result: RunResult;
  try {
    result = await run(JSON.parse(line) as RunRequest);
  } catch (error) {
    result = { batches: [], checks: {}, error: (error as Error).stack ?? String(error) };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
