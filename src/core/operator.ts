import { map, type OperatorFunction } from 'rxjs';
import type { Logger } from './logger.js';
import type { StateOperatorProgress } from './progress.js';
import type { Row } from './row.js';
import type { Schema } from './schema.js';
import type { SliceSpec } from './columnar/parallel/slice-spec.js';
import type { OutputMode } from './sink.js';

/** One micro-batch as it flows through the operators. */
export interface MicroBatch {
  batchId: number;
  /**
   * The batch's rows. They belong to this batch: sources hand out rows nobody else changes (fresh ones per getBatch,
   * or ones a replay may see again), and an operator may add a column to a row in place instead of copying it, as
   * `window` does, for speed. An operator never changes an existing value of a row it passes on unchanged otherwise.
   * A batch from a columnar source (src/core/columnar) also carries its columns, non-enumerable, and `rows` is then
   * a getter that builds the rows on first use; an operator that changes rows in place returns a new batch object
   * (`mapRows` does), which drops the columns.
   */
  rows: Row[];
  /**
   * Event-time watermark in epoch ms, computed at the end of the previous batch (Spark's rule); 0 when none. Stateful
   * operators evict state and emit results with it (Spark's eventTimeWatermarkForEviction).
   */
  watermarkMs: number;
  /**
   * The watermark that decides which input rows are late: the previous batch's watermark, as Spark 3.4+ with
   * `spark.sql.streaming.statefulOperator.allowMultiple=true` (the default) does it
   * (PropagateWatermarkSimulator.getInputWatermarkForLateEvents(batchId) is the input watermark of batchId - 1).
   * Recorded in offsets/N, so a replayed batch judges the same rows late. Absent: `watermarkMs` (tests, benches).
   */
  lateWatermarkMs?: number;
  /** When the batch was planned, epoch ms (Spark's batchTimestampMs; `current_timestamp()` within a batch). */
  batchTimestampMs: number;
}

/**
 * An operator is an RxJS operator over micro-batches. Working on arrays per batch, not one `next()` per row,
 * keeps the per-row cost near a plain loop.
 *
 * Two kinds of operators also talk to the engine, through an object attached to the operator function itself (so
 * every way of building a query, YAML or TypeScript, hands them to the engine without extra bookkeeping):
 * - `stateful`: operators that keep state between batches (groupBy, dropDuplicates); see StatefulOperator;
 * - `watermark`: withWatermark, which reports the event times it saw so the engine can move the watermark.
 */
export interface BatchOperator extends OperatorFunction<MicroBatch, MicroBatch> {
  readonly stateful?: StatefulOperator;
  readonly watermark?: WatermarkOperator;
  /**
   * Called once when the query starts, before the first batch: an operator that reads something of its own (the
   * join's static table) reads and checks it here, so a wrong table fails the start rather than the first batch.
   */
  readonly prepare?: (context: { logger: Logger; nowMs: number }) => Promise<void>;
  /** Called once when the query ends (a parallel stage stops its worker threads here). */
  readonly close?: () => Promise<void>;
  /**
   * How a worker thread builds this operator again to run it over a slice of a columnar batch: set on operators that
   * are a pure function of each row (filter, withColumn, ...), see core/columnar/parallel/.
   */
  readonly slice?: SliceSpec;
}

/** Builds a stateless operator from a function over the rows of one batch. */
export function mapRows(transform: (rows: Row[], batch: MicroBatch) => Row[]): BatchOperator {
  return map((batch) => ({ ...batch, rows: transform(batch.rows, batch) }));
}

/** Attaches engine hooks to an operator function (see BatchOperator). */
export function withHooks(
  operator: OperatorFunction<MicroBatch, MicroBatch>,
  hooks: {
    stateful?: StatefulOperator;
    watermark?: WatermarkOperator;
    prepare?: BatchOperator['prepare'];
    close?: BatchOperator['close'];
    slice?: SliceSpec;
  },
): BatchOperator {
  return Object.assign(operator, hooks);
}

/** What a stateful operator learns when the query starts. */
export interface StatefulOperatorContext {
  /** Spark's operatorId: the position of this operator among the query's stateful operators, from 0. */
  operatorId: number;
  /** `<checkpointLocation>/state/<operatorId>`: where its versioned state lives (see StateStore). */
  stateDir: string;
  outputMode: OutputMode;
  logger: Logger;
}

/**
 * The lifecycle of a stateful operator, driven by StreamingQuery (Spark's StateStoreRDD + StatefulOperator):
 *
 *   open(context)            once per run, before anything else
 *   restore(N - 1)           load the state the last committed batch left (-1: empty); also before a replayed batch N
 *   ... batch N flows through the RxJS operator: it reads and changes the in-memory state ...
 *   commit(N)                after the sink wrote batch N, before commits/N: state version N becomes durable
 *   metrics()                read for batch N's progress (stateOperators[operatorId])
 *   shouldRunAnotherBatch(W) after commit: would the watermark W let it emit or evict rows? Then the engine runs a
 *                            batch without new data (Spark's no-data batch), so append-mode results are not held
 *                            back until more data happens to arrive.
 *   close()                  when the query ends
 *
 * A crash anywhere before commits/N leaves state version N-1 as the last one the restart trusts; the replay of
 * batch N recomputes version N from it, so the result is the same as a run without the crash.
 */
export interface StatefulOperator {
  /** Spark's StateOperatorProgress.operatorName, e.g. `stateStoreSave`, `dedupe`, `sessionWindowStateStoreSave`. */
  readonly operatorName: string;
  open(context: StatefulOperatorContext): Promise<void>;
  restore(version: number): Promise<void>;
  commit(version: number): Promise<void>;
  shouldRunAnotherBatch(nextWatermarkMs: number): boolean;
  /** Metrics of the batch that just ran (commitTimeMs is filled in by the engine). */
  metrics(): Omit<StateOperatorProgress, 'commitTimeMs'>;
  /** The state as rows, for `showState` and tests. */
  stateRows(): { schema: Schema; rows: Row[] };
  /** What happened to each input row of the batch that just ran, when tracing is on (the late-data example). */
  trace?: BatchTrace;
  close(): Promise<void>;
}

/** Per-row notes of the last batch, kept only while `enabled` (they cost memory per row): the late-data example. */
export interface BatchTrace {
  enabled: boolean;
  /** The watermark the batch ran with: what it evicted and emitted by. */
  watermarkMs: number;
  /** The watermark its rows were judged late against: the previous batch's (see MicroBatch.lateWatermarkMs). */
  lateWatermarkMs: number;
  events: TraceEvent[];
}

export interface TraceEvent {
  /** The input row as the operator saw it (with its window, for windowed groupBy). */
  row: Row;
  /** counted: added to its group; late: ignored, behind the watermark; kept / duplicate: dropDuplicates' verdict. */
  outcome: 'counted' | 'late' | 'kept' | 'duplicate';
  /** What was compared with the watermark (`window end`, `session end`, `event time`) and its time: late when <= it. */
  deadline?: { what: string; atMs: number };
}

/** Spark's EventTimeStats: what one batch's rows said about event time (epoch ms). */
export interface EventTimeStats {
  min: number;
  max: number;
  sum: number;
  count: number;
}

/** withWatermark's side of the engine contract (Spark's EventTimeWatermarkExec and its accumulator). */
export interface WatermarkOperator {
  readonly column: string;
  readonly delayMs: number;
  /** Event-time statistics of the rows of the batch that just ran (undefined: none had an event time). */
  stats(): EventTimeStats | undefined;
}
