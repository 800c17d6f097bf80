import type { Checkpoint, OffsetEntry } from '../checkpoint/checkpoint.js';
import type { Offset } from '../row.js';
import type { Source } from '../source.js';
import type { ProgressReporter } from './progress-reporter.js';
import type { WatermarkTracker } from './watermark-tracker.js';

/** A batch whose offsets/N is written: it reads (start, end] and runs with the watermark in its entry. */
export interface PlannedBatch {
  entry: OffsetEntry;
  /** The last committed end offset (null before the first batch). */
  start: Offset | null;
  end: Offset;
  /** True for the replay of a batch that had offsets/N but no commits/N when the query restarted. */
  recovered: boolean;
}

/** Log entries kept in the checkpoint unless the query says otherwise (Spark's minBatchesToRetain default). */
const DEFAULT_BATCHES_TO_RETAIN = 100;

/**
 * Where the stream stands and which batch comes next, after Spark's constructNextBatch: it asks the source for its
 * latest offset, decides whether a batch runs (new data, or a no-data batch the watermark calls for), and writes
 * offsets/N, the write-ahead log, before any row is read. It also writes commits/N once the batch is done, and then
 * moves the stream's position (committed offset, next batch id) forward.
 *
 * No-data batches: when the watermark moved and a stateful operator could emit or evict with it, a batch runs even
 * without new rows (same offsets, new watermark), as Spark does, so append-mode windows come out without waiting
 * for more input.
 */
export class BatchPlanner {
  private nextId = 0;
  private committedOffset: Offset | null = null;
  /** A batch of the previous run to replay before planning anything new. */
  private replay: OffsetEntry | undefined;
  /** availableNow without source support: the latest offset read once at start, never asked again. */
  private availableNowTarget: Offset | null | undefined;

  constructor(
    private readonly source: Source,
    private readonly checkpoint: Checkpoint,
    private readonly watermark: WatermarkTracker,
    private readonly reporter: ProgressReporter,
    private readonly batchesToRetain = DEFAULT_BATCHES_TO_RETAIN,
  ) {}

  /** The id of the batch that runs next. */
  get nextBatchId(): number {
    return this.nextId;
  }

  /** The end offset of the last committed batch (null before the first one, or when the source cannot replay). */
  get lastCommittedOffset(): Offset | null {
    return this.committedOffset;
  }

  /** The batch the run resumes at and its end offset: the one to replay, else the last committed one (-1: none). */
  resumePoint(): { batchId: number; end: Offset | null } {
    if (this.replay) return { batchId: this.replay.batchId, end: this.replay.offsets[0] };
    return { batchId: this.nextId - 1, end: this.committedOffset };
  }

  /** Where a restart picks up, decided from the logs; `replay`: a batch to run again first, with its logged offsets. */
  resumeAt(nextBatchId: number, committedOffset: Offset | null, replay?: OffsetEntry): void {
    this.nextId = nextBatchId;
    this.committedOffset = committedOffset;
    this.replay = replay;
  }

  /**
   * availableNow: the source fixes its target itself when it can (and then still honours maxRowsPerBatch);
   * otherwise the planner reads the latest offset once and never asks again, as Spark's AvailableNowDataStreamWrapper.
   */
  async prepareAvailableNow(): Promise<void> {
    if (this.source.prepareForTriggerAvailableNow) return this.source.prepareForTriggerAvailableNow();
    this.availableNowTarget = await this.source.latestOffset(this.committedOffset);
  }

  /** The next batch with its offsets/N written, or undefined when there is nothing to do (no new data, no watermark move). */
  async planNextBatch(batchTimestampMs: number): Promise<PlannedBatch | undefined> {
    const start = this.committedOffset;
    if (this.replay) {
      const entry = this.replay;
      this.replay = undefined;
      return { entry, start, end: entry.offsets[0], recovered: true };
    }
    const latest = await this.reporter.reportTimeTaken('latestOffset', () => this.latestOffset());
    const newData = latest !== null && !sameOffset(latest, start);
    if (!newData && !this.watermark.needsNoDataBatch()) return undefined;
    // A no-data batch keeps the offsets of the previous one: it only applies the new watermark.
    const end = newData ? latest : start;
    const entry = {
      batchId: this.nextId,
      batchWatermarkMs: this.watermark.watermarkMs,
      batchTimestampMs,
      lateEventsWatermarkMs: this.watermark.lateEventsWatermarkMs,
      offsets: [end],
    };
    await this.reporter.reportTimeTaken('walCommit', () => this.checkpoint.writeOffsets(entry));
    return { entry, start, end, recovered: false };
  }

  /**
   * Writes commits/N (after the sink and the state), lets the source drop what is committed, purges old log entries,
   * and moves the stream's position past the batch. Timed as commitOffsets; walCommit counts both log writes.
   */
  async commit(batch: PlannedBatch, nextBatchWatermarkMs: number): Promise<void> {
    const { batchId } = batch.entry;
    await this.reporter.reportTimeTaken(['walCommit', 'commitOffsets'], async () => {
      await this.checkpoint.writeCommit(batchId, { nextBatchWatermarkMs });
      this.source.commit?.(batch.end);
      await this.checkpoint.purge(batchId, this.batchesToRetain);
    });
    this.committedOffset = batch.end;
    this.nextId = batchId + 1;
  }

  private async latestOffset(): Promise<Offset | null> {
    if (this.availableNowTarget !== undefined) return this.availableNowTarget;
    return this.source.latestOffset(this.committedOffset);
  }
}

/** Offsets are compared by value: a source may hand out a new but equal object. */
export function sameOffset(a: Offset | null, b: Offset | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
