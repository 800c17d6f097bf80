import type { SchedulerLike } from 'rxjs';
import type { BadRecordPolicy } from './bad-records.js';
import type { SourceIdentity } from './checkpoint/checkpoint.js';
import type { Logger } from './logger.js';
import type { BatchOperator } from './operator.js';
import type { OutputMode, Sink } from './sink.js';
import type { Source } from './source.js';
import type { Trigger } from './trigger.js';

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
  /** Upper bound on rows per batch, passed to the source (Spark's maxOffsetsPerTrigger / maxFilesPerTrigger). */
  maxRowsPerBatch?: number;
  /** Log entries kept in the checkpoint (Spark's spark.sql.streaming.minBatchesToRetain). */
  minBatchesToRetain?: number;
  /** What sources and sinks do with a record they cannot read or write (default `fail`); see core/bad-records.ts. */
  onBadRecord?: BadRecordPolicy;
  /** Directory of the dead letters (`deadLetter` policy); default `<checkpointLocation>/deadLetters`. */
  deadLetterPath?: string;
}

export interface RunOptions {
  scheduler?: SchedulerLike;
  logger?: Logger;
  /** Stop after this many batches have run in this process (replays included). */
  maxBatches?: number;
  /** How long the default trigger waits before asking an idle source again. */
  pollMs?: number;
}
