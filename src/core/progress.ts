import type { Offset } from './row.js';

/**
 * One object per batch, shaped like Spark's `StreamingQueryProgress` (same names, same meaning), so what users
 * read here maps 1:1 to Spark's UI, `query.lastProgress` and its docs.
 */
export interface QueryProgress {
  id: string;
  runId: string;
  name: string;
  /** ISO 8601 time the trigger started. */
  timestamp: string;
  batchId: number;
  batchDuration: number;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  durationMs: {
    latestOffset: number;
    getBatch: number;
    addBatch: number;
    walCommit: number;
    commitOffsets: number;
    triggerExecution: number;
  };
  /**
   * streamlab's split of `durationMs.addBatch`, which Spark reports only as a whole: `operators` runs the batch
   * through the query's steps (and moves the watermark), `sink` is foreachBatch together with the state commits that
   * run beside it (each state commit's own time is in stateOperators[].commitTimeMs).
   */
  addBatchMs: { operators: number; sink: number };
  /**
   * Only for queries with a watermark, as in Spark: `watermark` is the one this batch used; `min`, `max` and `avg`
   * are the event times of this batch's rows (absent when it had none). ISO 8601 UTC, e.g. `2024-05-01T12:04:00.000Z`.
   */
  eventTime?: EventTimeProgress;
  /** One entry per stateful operator (groupBy, dropDuplicates), by operatorId. */
  stateOperators: StateOperatorProgress[];
  sources: SourceProgress[];
  /**
   * `metrics` as Spark's SinkProgress.metrics, left out when empty as Spark does: `numBadRecords` (rows the sink could
   * not write, skipped or dead-lettered) unless onBadRecord is fail.
   */
  sink: { description: string; numOutputRows: number; metrics?: Record<string, number> };
  /** Set when the batch was the replay of one that had an offsets entry but no commit (after a crash). */
  recovered?: boolean;
}

export interface EventTimeProgress {
  min?: string;
  max?: string;
  avg?: string;
  watermark: string;
}

/** Spark's StateOperatorProgress (the fields a single-process engine can report). */
export interface StateOperatorProgress {
  /** `stateStoreSave` (groupBy), `sessionWindowStateStoreSave`, `dedupe`, `dedupeWithinWatermark`. */
  operatorName: string;
  /** Rows (keys) in the state after this batch. */
  numRowsTotal: number;
  /** Keys written by this batch. */
  numRowsUpdated: number;
  /** Keys removed by this batch: windows behind the watermark, expired duplicates. */
  numRowsRemoved: number;
  /** Input rows this operator ignored as late: their window (or event time) was at or behind the watermark. */
  numRowsDroppedByWatermark: number;
  /** Estimated memory of the state. */
  memoryUsedBytes: number;
  /** Time to write this batch's state version to the checkpoint. */
  commitTimeMs: number;
}

export interface SourceProgress {
  description: string;
  startOffset: Offset | null;
  endOffset: Offset;
  latestOffset: Offset;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  metrics: Record<string, number>;
}

/** Rows per second over `ms`, 0 when no time passed (Spark reports 0.0 there too). */
export function perSecond(rows: number, ms: number): number {
  return ms > 0 ? Math.round((rows * 1000 * 10) / ms) / 10 : 0;
}

/** The default progress line on stderr: short, one per batch. */
export function formatProgressLine(p: QueryProgress): string {
  const replay = p.recovered ? ' (replayed after restart)' : '';
  const source = p.sources[0];
  const dropped = source?.metrics.droppedRows ? `, dropped ${source.metrics.droppedRows} (buffer full)` : '';
  const badRecords = (source?.metrics.numBadRecords ?? 0) + (p.sink.metrics?.numBadRecords ?? 0);
  const bad = badRecords ? `, ${badRecords} bad record${badRecords > 1 ? 's' : ''} left out` : '';
  const watermark = p.eventTime ? `, watermark ${p.eventTime.watermark}` : '';
  const state = p.stateOperators
    .map((s) => `, state ${s.numRowsTotal} rows${s.numRowsDroppedByWatermark ? ` (${s.numRowsDroppedByWatermark} late rows dropped)` : ''}`)
    .join('');
  return (
    `[${p.name}] batch ${p.batchId}${replay}: ${p.numInputRows} rows in, ${p.sink.numOutputRows} out, ` +
    `${p.durationMs.triggerExecution} ms (${p.processedRowsPerSecond} rows/s)${dropped}${bad}${watermark}${state}`
  );
}
