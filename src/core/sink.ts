import type { BadRecordHandler } from './bad-records.js';
import type { ColumnBatch } from './columnar/column-batch.js';
import type { Logger } from './logger.js';
import type { Row } from './row.js';

export type OutputMode = 'append' | 'update' | 'complete';

export interface SinkContext {
  /** Stable id of the query (kept in the checkpoint across restarts). */
  queryId: string;
  queryName: string;
  outputMode: OutputMode;
  logger: Logger;
  /**
   * The query's `onBadRecord` policy: a row with a value the store cannot hold (NaN in MySQL...) is reported here
   * instead of failing the batch, and is not written when the call returns. Absent outside a query: treat as
   * `failOnBadRecord`.
   */
  badRecords?: BadRecordHandler;
  /**
   * Aborted when the query is asked to stop. A sink that is only waiting may then throw StopRequestedError
   * (core/stop.ts): the batch stays uncommitted and is re-run on the next start. Absent when nothing can stop it.
   */
  stopSignal?: AbortSignal;
  /**
   * A check, not a job (`validate --connect`): open() does not retry a failed connection but reports it at once
   * (core/retry.ts `retriesFor`). A job retries, as it may outlive a server's restart.
   */
  failFast?: boolean;
}

/**
 * A sink, after Spark's `foreachBatch`: `foreachBatch(rows, batchId)` resolves only when the rows are durably
 * written. The engine writes the commit entry after that, so a crash in between replays the same batchId with the
 * same rows: the sink must make that replay a no-op or an overwrite (deterministic keys, labels, a commit table in
 * the same transaction, files named by batchId). That is what turns at-least-once delivery into exactly-once.
 */
export interface Sink {
  readonly description: string;
  /** True for a sink that prints its batches on stdout (console): the CLI then puts `--progress json` elsewhere. */
  readonly writesStdout?: boolean;
  open(context: SinkContext): Promise<void>;
  foreachBatch(rows: Row[], batchId: number): Promise<void>;
  /**
   * Optional: the batch as columns, when the query produced them (src/core/columnar), instead of foreachBatch; the
   * same contract. A batch without columns still goes to foreachBatch.
   */
  foreachColumns?(columns: ColumnBatch, batchId: number): Promise<void>;
  close(): Promise<void>;
}
