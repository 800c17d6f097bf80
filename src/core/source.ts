import type { SchedulerLike } from 'rxjs';
import type { BadRecordHandler } from './bad-records.js';
import type { ColumnBatch } from './columnar/column-batch.js';
import type { Logger } from './logger.js';
import type { Offset, Row } from './row.js';
import type { Schema } from './schema.js';

/** What a source gets when the query starts. */
export interface SourceContext {
  /** Virtual or real clock; sources read time only from here, so marble tests can drive them. */
  scheduler: SchedulerLike;
  logger: Logger;
  /**
   * Metadata the source stored in the checkpoint on its first run (e.g. the rate source's start time), or
   * undefined on a fresh checkpoint. What `open()` returns as `metadata` is written there once.
   */
  metadata?: Offset;
  /** Upper bound on rows per batch, from the query (`maxRowsPerBatch`); sources that can honour it do. */
  maxRowsPerBatch?: number;
  /**
   * The query's `onBadRecord` policy: a source that meets a record it cannot read (a malformed line, a value that is
   * not of its column's type) reports it here instead of throwing, and leaves it out when the call returns. Absent
   * outside a query: treat as `failOnBadRecord`.
   */
  badRecords?: BadRecordHandler;
  /** A check, not a job (`validate --connect`): open() reports a failed connection at once, without retrying. */
  failFast?: boolean;
  /**
   * The source's own folder in the checkpoint (`<checkpoint>/sources/0`), for a source that keeps a log of its own
   * (the parquet source's file log, as Spark's file source keeps `sources/0/<N>`). Absent outside a query.
   */
  checkpointDir?: string;
}

/** How far an availableNow run is through what was there when it started: `done` of `total` `unit`s (rows, files). */
export interface Backlog {
  done: number;
  total: number;
  unit: string;
}

/**
 * A streaming source, after Spark's `Source`: the engine asks for the latest offset, writes it to the offsets log,
 * then asks for the rows in (start, end].
 *
 * Replayable sources must return the same rows for the same (start, end] pair, also after a restart; that is what
 * makes a replayed batch identical. Push sources (socket, system sampler) buffer rows in memory and say so with
 * `replayable = false`, as Spark documents its socket source.
 */
export interface Source {
  /** Human-readable description for progress and `explain`, e.g. `RateSource[rowsPerSecond=10]`. */
  readonly description: string;
  readonly replayable: boolean;
  /** The columns every row has. */
  readonly schema: Schema;
  /** Set by a source that cannot feed stateful operators (the kafka source in group mode): why, and what to do instead. */
  readonly statelessOnly?: string;
  /** Connect or prepare. May return metadata to keep in the checkpoint for later runs. */
  // biome-ignore lint/suspicious/noConfusingVoidType: sources without metadata implement `async open(): Promise<void>`, which `undefined` would refuse.
  open(context: SourceContext): Promise<{ metadata?: Offset } | void>;
  /** The newest offset available now, or null when there is no data yet. `start` is the last committed end. */
  latestOffset(start: Offset | null): Promise<Offset | null> | Offset | null;
  /** Rows in (start, end]. `start` is null for the first batch. */
  getBatch(start: Offset | null, end: Offset): Promise<Row[]> | Row[];
  /**
   * The same rows in (start, end] as columns (src/core/columnar): the engine prefers it when present, so rows are
   * built only where a row-based operator or sink needs them. `getBatch` must give exactly its rows.
   */
  getColumns?(start: Offset | null, end: Offset): Promise<ColumnBatch> | ColumnBatch;
  /**
   * Called once before the first batch under the availableNow trigger: fix the target offset to what is available
   * now, so `latestOffset` never goes past it. Sources that are bounded anyway need not implement it.
   */
  prepareForTriggerAvailableNow?(): Promise<void> | void;
  /**
   * After prepareForTriggerAvailableNow: how much of the target it fixed is done once everything up to `committed` is
   * (for a progress bar). Synchronous and cheap: it is asked after every batch. Sources that cannot count leave it out.
   */
  backlog?(committed: Offset | null): Backlog | undefined;
  /** Everything up to `end` is committed: a push source may drop it from its buffer. */
  commit?(end: Offset): void;
  /**
   * Push sources: the query was asked to stop. Take in no more rows; the engine then runs batches until the rows
   * already buffered are written, so a graceful stop loses nothing the source had accepted.
   */
  drain?(): Promise<void> | void;
  /** Counters for progress (e.g. rows dropped by a full buffer). */
  metrics?(): Record<string, number>;
  stop(): Promise<void>;
}
