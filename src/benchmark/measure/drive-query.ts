/**
 * Drives the sink with guarantee `exactly-once`: inside a StreamingQuery, as a job runs it (offsets log, commit log,
 * fsync). Per-batch latency is the engine's own `durationMs.addBatch` of each measured batch; the wall time runs from
 * the end of the warm-up batch's trigger (when batch 1 starts: availableNow runs the next trigger at once) to the end
 * of the last one. The sink is wrapped only to tell the freshness probe when a batch's write returned.
 */
import { performance } from 'node:perf_hooks';
import type { Row } from '../../core/row.js';
import { StreamingQuery, type QueryDefinition } from '../../core/query.js';
import type { Sink, SinkContext } from '../../core/sink.js';
import type { BatchSlice } from './batches.js';
import { secondsBetween, type DriveHooks, type WriteTimings } from './timings.js';

export async function driveQuery(definition: QueryDefinition, slices: BatchSlice[], hooks: DriveHooks): Promise<WriteTimings> {
  const sink = new NotifyingSink(definition.sink, hooks);
  const query = new StreamingQuery({ ...definition, sink });
  const batchLatencyMs: number[] = [];
  let measuredStart = Number.NaN;
  let end = Number.NaN;
  let written = 0;
  let rowsDone = 0;
  let warmupRows = 0;
  const subscription = query.progress$.subscribe((progress) => {
    end = performance.now();
    written++;
    rowsDone += progress.numInputRows;
    if (progress.batchId === 0) {
      measuredStart = end;
      warmupRows = progress.numInputRows;
    } else batchLatencyMs.push(progress.durationMs.addBatch);
    hooks.progress(rowsDone);
  });
  const stop = () => query.stop();
  hooks.signal?.addEventListener('abort', stop, { once: true });
  try {
    if (hooks.signal?.aborted) query.stop();
    await query.run();
  } finally {
    hooks.signal?.removeEventListener('abort', stop);
    subscription.unsubscribe();
  }
  const seconds = written > 1 ? secondsBetween(measuredStart, end) : 0;
  // Stopped early: fewer rows than the workload's source holds (a source may cut batches differently from `slices`).
  const interrupted = rowsDone < slices.at(-1)!.rowsThrough;
  return { batchLatencyMs, seconds, batchesWritten: written, warmupRows, measuredRows: rowsDone - warmupRows, interrupted };
}

/** The sink under test, unchanged, but saying when each batch's write returned. */
class NotifyingSink implements Sink {
  readonly description: string;
  private rowsThrough = 0;

  constructor(
    private readonly inner: Sink,
    private readonly hooks: DriveHooks,
  ) {
    this.description = inner.description;
  }

  open(context: SinkContext): Promise<void> {
    return this.inner.open(context);
  }

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    const startedAt = performance.now();
    await this.inner.foreachBatch(rows, batchId);
    this.rowsThrough += rows.length;
    this.hooks.batchWritten(batchId, this.rowsThrough, startedAt);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
