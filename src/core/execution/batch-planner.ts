import type { Checkpoint, OffsetEntry } from '../checkpoint/checkpoint.js';
import type { Offset } from '../row.js';
import type { Source } from '../source.js';
import type { ProgressReporter } from './progress-reporter.js';
import { WATERMARK_POLICY_CONF, type WatermarkTracker } from './watermark-tracker.js';

/**
 * A batch whose offsets/N is written: it reads (starts[i], ends[i]] of each source i and runs with the watermark in
 * its entry. Source 0 is the job's source, 1.. those of its union branches.
 */
export interface PlannedBatch {
  entry: OffsetEntry;
  /** Per source, the last committed end offset (null before its first data). */
  starts: (Offset | null)[];
  /** Per source, the end offset this batch reads to; equal to its start when the source has nothing new. */
  ends: (Offset | null)[];
  /** True for the replay of a batch that had offsets/N but no commits/N when the query restarted. */
  recovered: boolean;
}

/** Log entries kept in the checkpoint unless the query says otherwise (Spark's minBatchesToRetain default). */
const DEFAULT_BATCHES_TO_RETAIN = 100;

/**
 * Where the stream stands and which batch comes next, after Spark's constructNextBatch: it asks each source for its
 * latest offset, decides whether a batch runs (new data in any source, or a no-data batch the watermark calls for),
 * and writes offsets/N, the write-ahead log with one end offset per source, before any row is read. It also writes commits/N once the batch is done, and then
 * moves the stream's position (committed offset, next batch id) forward.
 *
 * No-data batches: when the watermark moved and a stateful operator could emit or evict with it, a batch runs even
 * without new rows (same offsets, new watermark), as Spark does, so append-mode windows come out without waiting
 * for more input.
 */
export class BatchPlanner {
  private nextId = 0;
  private committedOffsets: (Offset | null)[];
  /** A batch of the previous run to replay before planning anything new. */
  private replay: OffsetEntry | undefined;
  /** availableNow, per source without support of its own: the latest offset read once at start, never asked again. */
  private availableNowTargets: Array<Offset | null | undefined>;

  constructor(
    private readonly sources: readonly Source[],
    private readonly checkpoint: Checkpoint,
    private readonly watermark: WatermarkTracker,
    private readonly reporter: ProgressReporter,
    private readonly batchesToRetain = DEFAULT_BATCHES_TO_RETAIN,
  ) {
    this.committedOffsets = sources.map(() => null);
    this.availableNowTargets = sources.map(() => undefined);
  }

  /** The id of the batch that runs next. */
  get nextBatchId(): number {
    return this.nextId;
  }

  /** The end offset of the job's source in the last committed batch (null before the first one, or when it cannot replay). */
  get lastCommittedOffset(): Offset | null {
    return this.committedOffsets[0];
  }

  /** The last committed end offset of every source, in source order. */
  get lastCommittedOffsets(): readonly (Offset | null)[] {
    return this.committedOffsets;
  }

  /** The batch the run resumes at and its end offsets: the one to replay, else the last committed one (-1: none). */
  resumePoint(): { batchId: number; ends: readonly (Offset | null)[] } {
    if (this.replay) return { batchId: this.replay.batchId, ends: this.replay.offsets };
    return { batchId: this.nextId - 1, ends: this.committedOffsets };
  }

  /** Where a restart picks up, decided from the logs; `replay`: a batch to run again first, with its logged offsets. */
  resumeAt(nextBatchId: number, committedOffsets: (Offset | null)[], replay?: OffsetEntry): void {
    this.nextId = nextBatchId;
    this.committedOffsets = committedOffsets;
    this.replay = replay;
  }

  /**
   * availableNow: the source fixes its target itself when it can (and then still honours maxRowsPerBatch);
   * otherwise the planner reads the latest offset once and never asks again, as Spark's AvailableNowDataStreamWrapper.
   */
  async prepareAvailableNow(): Promise<void> {
    for (const [i, source] of this.sources.entries()) {
      if (source.prepareForTriggerAvailableNow) await source.prepareForTriggerAvailableNow();
      else this.availableNowTargets[i] = await source.latestOffset(this.committedOffsets[i]);
    }
  }

  /** The next batch with its offsets/N written, or undefined when there is nothing to do (no new data, no watermark move). */
  async planNextBatch(batchTimestampMs: number): Promise<PlannedBatch | undefined> {
    const starts = [...this.committedOffsets];
    if (this.replay) {
      const entry = this.replay;
      this.replay = undefined;
      return { entry, starts, ends: entry.offsets, recovered: true };
    }
    const latest = await this.reporter.reportTimeTaken('latestOffset', () => this.latestOffsets());
    // A source with nothing new (or nothing yet) keeps its start: it reads no rows in this batch.
    const ends = latest.map((offset, i) => (offset === null ? starts[i] : offset));
    const newData = ends.some((end, i) => !sameOffset(end, starts[i]));
    if (!newData && !this.watermark.needsNoDataBatch()) return undefined;
    const entry = {
      batchId: this.nextId,
      batchWatermarkMs: this.watermark.watermarkMs,
      batchTimestampMs,
      lateEventsWatermarkMs: this.watermark.lateEventsWatermarkMs,
      offsets: ends,
      conf: { [WATERMARK_POLICY_CONF]: this.watermark.policy },
    };
    await this.reporter.reportTimeTaken('walCommit', () => this.checkpoint.writeOffsets(entry));
    return { entry, starts, ends, recovered: false };
  }

  /**
   * Writes commits/N (after the sink and the state), lets the source drop what is committed, purges old log entries,
   * and moves the stream's position past the batch. Timed as commitOffsets; walCommit counts both log writes.
   */
  async commit(batch: PlannedBatch, nextBatchWatermarkMs: number): Promise<void> {
    const { batchId } = batch.entry;
    await this.reporter.reportTimeTaken(['walCommit', 'commitOffsets'], async () => {
      await this.checkpoint.writeCommit(batchId, { nextBatchWatermarkMs });
      for (const [i, source] of this.sources.entries()) {
        const end = batch.ends[i];
        if (end !== null) source.commit?.(end);
      }
      await this.checkpoint.purge(batchId, this.batchesToRetain);
    });
    this.committedOffsets = [...batch.ends];
    this.nextId = batchId + 1;
  }

  /** Each source's latest offset, asked one after another in source order (Spark asks them in turn too). */
  private async latestOffsets(): Promise<(Offset | null)[]> {
    const latest: (Offset | null)[] = [];
    for (const [i, source] of this.sources.entries()) {
      const target = this.availableNowTargets[i];
      latest.push(target !== undefined ? target : await source.latestOffset(this.committedOffsets[i]));
    }
    return latest;
  }
}

/** Offsets are compared by value: a source may hand out a new but equal object. */
export function sameOffset(a: Offset | null, b: Offset | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
