/**
 * Drives a writer batch by batch without a query: the sink with guarantee `none` (open, foreachBatch per batch, close:
 * no offsets log, no commit log, no fsync) and the server's baseline (Baseline.write called once per batch with that
 * one batch, so each batch has its own latency, like the sink's). Rows are generated per batch before its write is
 * timed; their generation counts in the wall time, as the source's getBatch does in a query. The wall time runs from the
 * end of the warm-up batch's write to the end of the last one, as in drive-query.ts, so batch 1's rows count too.
 */
import { performance } from 'node:perf_hooks';
import type { Row } from '../../core/row.js';
import type { BatchSlice } from './batches.js';
import { secondsBetween, type DriveHooks, type WriteTimings } from './timings.js';

export async function driveBatches(
  slices: BatchSlice[],
  rowsOf: (slice: BatchSlice) => Row[],
  write: (rows: Row[], slice: BatchSlice) => Promise<void>,
  hooks: DriveHooks,
): Promise<WriteTimings> {
  const batchLatencyMs: number[] = [];
  let measuredStart = Number.NaN;
  let end = Number.NaN;
  let written = 0;
  let measuredRows = 0;
  for (const slice of slices) {
    if (hooks.signal?.aborted) break;
    const rows = rowsOf(slice);
    const startedAt = performance.now();
    await write(rows, slice);
    end = performance.now();
    if (slice.batchId === 0) measuredStart = end;
    written++;
    if (slice.batchId > 0) {
      batchLatencyMs.push(end - startedAt);
      measuredRows += slice.count;
    }
    hooks.batchWritten(slice.batchId, slice.rowsThrough, startedAt);
    hooks.progress(slice.rowsThrough);
  }
  const seconds = written > 1 ? secondsBetween(measuredStart, end) : 0;
  const warmupRows = written > 0 ? slices[0].count : 0;
  return { batchLatencyMs, seconds, batchesWritten: written, warmupRows, measuredRows, interrupted: written < slices.length };
}
