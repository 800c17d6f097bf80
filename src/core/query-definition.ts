import type { SchedulerLike } from 'rxjs';
import type { BadRecordPolicy } from './bad-records.js';
import type { SourceIdentity } from './checkpoint/checkpoint.js';
import type { Logger } from './logger.js';
import type { BatchOperator } from './operator.js';
import type { OutputMode, Sink } from './sink.js';
import type { Source } from './source.js';
import type { Trigger } from './trigger.js';
import type { WatermarkPolicy } from './execution/watermark-tracker.js';

/** A union branch's source (sources 1, 2, ... of the query), with what gives its offsets their meaning. */
export interface UnionSource {
  source: Source;
  /** Recorded in the checkpoint's metadata (`unionSources`) and checked on restart, as `sourceIdentity` is. */
  identity?: SourceIdentity;
}

/** A streaming query: source -> operators -> sink, with a trigger, an output mode and a checkpoint. */
export interface QueryDefinition {
  name: string;
  source: Source;
  operators: BatchOperator[];
  sink: Sink;
  trigger: Trigger;
  outputMode: OutputMode;
  checkpointLocation: string;
  /** The source type and the options that give its offsets their meaning; a checkpoint of another one is refused. */
  sourceIdentity?: SourceIdentity;
  /**
   * The sources of the union steps among `operators`, in the order their branches are written (they are sources 1, 2,
   * ...; `source` is 0): each batch reads all of them, offsets/N has one line per source.
   */
  unionSources?: UnionSource[];
  /**
   * How the watermark is chosen from several withWatermark operators (one per union branch): Spark's
   * `spark.sql.streaming.multipleWatermarkPolicy`, `min` by default. Recorded in offsets/N; a restart keeps the recorded one.
   */
  multipleWatermarkPolicy?: WatermarkPolicy;
  /** Upper bound on rows per batch, passed to the source (Spark's maxOffsetsPerTrigger / maxFilesPerTrigger). */
  maxRowsPerBatch?: number;
  /** Log entries kept in the checkpoint (Spark's spark.sql.streaming.minBatchesToRetain). */
  minBatchesToRetain?: number;
  /** What sources and sinks do with a record they cannot read or write (default `fail`); see core/bad-records.ts. */
  onBadRecord?: BadRecordPolicy;
  /** Directory of the dead letters (`deadLetter` policy); default `<checkpointLocation>/deadLetters`. */
  deadLetterPath?: string;
  /**
   * Threads a stateless stage may use on a big columnar batch (Spark's local[N]): the main thread and cores - 1 worker
   * threads, each over a slice (core/columnar/parallel/). Absent or 1: everything on the main thread.
   */
  cores?: number;
}

export interface RunOptions {
  scheduler?: SchedulerLike;
  logger?: Logger;
  /** Stop after this many batches have run in this process (replays included). */
  maxBatches?: number;
  /** How long the default trigger waits before asking an idle source again. */
  pollMs?: number;
  /** Rows a columnar batch needs before a parallel stage splits it (default PARALLEL_MIN_ROWS; tests set it low). */
  parallelMinRows?: number;
}
