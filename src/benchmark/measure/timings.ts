/** What a writer's run yields: the write time of every measured batch and the wall time of the measured batches. */
export interface WriteTimings {
  /** One per measured batch (batch 0, the warm-up, is left out). */
  batchLatencyMs: number[];
  /** From the start of batch 1 to the end of the last batch. */
  seconds: number;
  /** Batches whose write completed, warm-up included. */
  batchesWritten: number;
  /** Rows of the warm-up batch as written (batchSize, unless a source cuts batches at whole ticks). */
  warmupRows: number;
  /** Rows of the measured batches written. */
  measuredRows: number;
  /** Stopped by the signal before the last batch. */
  interrupted: boolean;
}

/** What a driver reports while it runs (freshness polls and progress bars hang on these). */
export interface DriveHooks {
  signal?: AbortSignal;
  /** Batch `batchId`'s write returned, `rowsThrough` rows are written in all; `startedAt`: performance.now() when it began. */
  batchWritten(batchId: number, rowsThrough: number, startedAt: number): void;
  progress(rowsDone: number): void;
}

/** Wall time in seconds from two performance.now() readings; never 0, so a rate is always finite. */
export function secondsBetween(startMs: number, endMs: number): number {
  return Math.max(endMs - startMs, 0.001) / 1000;
}
