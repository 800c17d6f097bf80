import type { EventTimeStats, StatefulOperator, WatermarkOperator } from '../operator.js';
import type { EventTimeProgress } from '../progress.js';

/**
 * How the query's watermark is chosen from those of several withWatermark operators (a union of streams, each with its
 * own): Spark's `spark.sql.streaming.multipleWatermarkPolicy`. `min` (the default) follows the slowest stream, so no
 * stream's rows are dropped as late because another ran ahead; `max` follows the fastest, dropping the slower streams'
 * rows that fall behind it, for lower latency.
 */
export type WatermarkPolicy = 'min' | 'max';

/** Spark's conf key for the policy, as offsets/N records it (OffsetSeqMetadata.conf). */
export const WATERMARK_POLICY_CONF = 'spark.sql.streaming.multipleWatermarkPolicy';

/** What one batch did to event time: the watermark the next batch runs with, and the batch's event-time progress. */
export interface WatermarkAdvance {
  nextWatermarkMs: number;
  /** Absent for queries without withWatermark, as in Spark's progress. */
  eventTime?: EventTimeProgress;
}

/**
 * The query's event-time watermark, after Spark's WatermarkTracker. After a batch ran, each withWatermark operator
 * reports the max event time it saw; the next batch's watermark is max(current, min over withWatermark operators of
 * (max seen - delay)), or the largest one under the `max` policy. The engine writes it to commits/N as nextBatchWatermarkMs and to offsets/N+1 as
 * batchWatermarkMs, and restores it from them on restart, so it never moves backwards.
 */
export class WatermarkTracker {
  /** The watermark the next batch runs with (epoch ms; 0 when none). */
  private currentMs = 0;
  /** The watermark the last committed batch ran with; a newer currentMs may call for a no-data batch. */
  private lastBatchMs = 0;
  /** Per withWatermark operator: the highest (max event time - delay) seen in this run (Spark's operatorToWatermarkMap). */
  private readonly operatorWatermarks: Array<number | undefined>;

  constructor(
    private readonly watermarks: readonly WatermarkOperator[],
    private readonly stateful: readonly StatefulOperator[],
    private policyInUse: WatermarkPolicy = 'min',
  ) {
    this.operatorWatermarks = watermarks.map(() => undefined);
  }

  /** The multiple-watermark policy in force: the query's, or on restart the one the checkpoint recorded. */
  get policy(): WatermarkPolicy {
    return this.policyInUse;
  }

  /** A restart keeps the policy the checkpoint was written with (Spark restores it from offsets/N's conf). */
  restorePolicy(policy: WatermarkPolicy): void {
    this.policyInUse = policy;
  }

  get watermarkMs(): number {
    return this.currentMs;
  }

  /**
   * The watermark the next batch judges late rows against: the one the last committed batch ran with (Spark 4's
   * getInputWatermarkForLateEvents(batchId) = the input watermark of batchId - 1; 0 before the first batch). It equals
   * watermarkMs unless the last batch moved the watermark (a no-data batch in between makes them agree again).
   */
  get lateEventsWatermarkMs(): number {
    return this.lastBatchMs;
  }

  /** Where a restart picks up, read from the logs (see StreamingQuery's recovery). */
  restore(currentMs: number, lastBatchMs: number): void {
    this.currentMs = currentMs;
    this.lastBatchMs = lastBatchMs;
  }

  /** Spark's shouldRunAnotherBatch: the watermark moved since the last batch and some stateful operator can use it. */
  needsNoDataBatch(): boolean {
    return this.currentMs > this.lastBatchMs && this.stateful.some((o) => o.shouldRunAnotherBatch(this.currentMs));
  }

  /**
   * Spark's WatermarkTracker.updateWatermark, after a batch ran with watermark `batchWatermarkMs`: each withWatermark
   * proposes max event time - delay (0 until it has seen a row); the query's watermark becomes the smallest proposal
   * (the largest under the `max` policy) if that is ahead. The proposals live in this run only, as Spark's
   * operatorToWatermarkMap: after a restart a stream that has not yet had rows proposes 0 again. Also gathers the batch's event-time statistics for progress. Takes effect at batchCommitted().
   */
  advance(batchWatermarkMs: number): WatermarkAdvance {
    if (this.watermarks.length === 0) return { nextWatermarkMs: batchWatermarkMs };
    let merged: EventTimeStats | undefined;
    this.watermarks.forEach((operator, i) => {
      const stats = operator.stats();
      if (stats) {
        this.operatorWatermarks[i] = Math.max(this.operatorWatermarks[i] ?? -Infinity, stats.max - operator.delayMs);
        merged = merged ? mergeStats(merged, stats) : stats;
      } else if (this.operatorWatermarks[i] === undefined) {
        this.operatorWatermarks[i] = 0;
      }
    });
    const proposals = this.operatorWatermarks.map((w) => w ?? 0);
    const chosen = this.policyInUse === 'max' ? Math.max(...proposals) : Math.min(...proposals);
    return { nextWatermarkMs: Math.max(batchWatermarkMs, chosen), eventTime: eventTimeProgress(merged, batchWatermarkMs) };
  }

  /** commits/N is written: the batch ran with `batchWatermarkMs`, the next one runs with `nextWatermarkMs`. */
  batchCommitted(batchWatermarkMs: number, nextWatermarkMs: number): void {
    this.lastBatchMs = batchWatermarkMs;
    this.currentMs = nextWatermarkMs;
  }
}

function mergeStats(a: EventTimeStats, b: EventTimeStats): EventTimeStats {
  return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max), sum: a.sum + b.sum, count: a.count + b.count };
}

/** Progress `eventTime`: the watermark the batch used, and its rows' event times when it had any (ISO 8601 UTC). */
function eventTimeProgress(stats: EventTimeStats | undefined, watermarkMs: number): EventTimeProgress {
  const iso = (ms: number) => new Date(ms).toISOString();
  if (!stats) return { watermark: iso(watermarkMs) };
  return { min: iso(stats.min), max: iso(stats.max), avg: iso(Math.trunc(stats.sum / stats.count)), watermark: iso(watermarkMs) };
}
