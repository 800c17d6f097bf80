import { lastValueFrom, of, type Observable } from 'rxjs';
import type { BadRecords } from '../bad-records.js';
import type { OffsetEntry } from '../checkpoint/checkpoint.js';
import type { ColumnBatch } from '../columnar/column-batch.js';
import { readBatch, toMicroBatch, writeBatch } from '../columnar/edges.js';
import { batchLength } from '../columnar/micro-batch.js';
import type { BatchOperator, MicroBatch, StatefulOperator } from '../operator.js';
import type { Row } from '../row.js';
import type { Sink } from '../sink.js';
import type { Source } from '../source.js';
import { StopRequestedError } from '../stop.js';
import { sameOffset, type PlannedBatch } from './batch-planner.js';
import type { UnionHook } from './union-operator.js';
import type { BatchOutcome, ProgressReporter } from './progress-reporter.js';
import type { WatermarkTracker } from './watermark-tracker.js';

/** What running a batch yields: its counts and event times for progress, and the watermark for commits/N. */
export interface BatchResult extends BatchOutcome {
  nextWatermarkMs: number;
}

/** What the runner needs of the query's sources: all of them in source order, and the unions their rows go to. */
export interface RunnerInputs {
  sources: readonly Source[];
  unions: readonly UnionHook[];
}

/**
 * Runs one planned batch, after Spark's runBatch: gets its rows from each source (the job's source feeds the
 * operators, a union branch's source its union step), runs them through the operators,
 * moves the watermark, then hands the output to `sink.foreachBatch` while the stateful operators commit state
 * version N, and writes the batch's dead letters (onBadRecord: deadLetter). It writes no log entry: the batch counts
 * as done only once the planner has written commits/N, so a crash before that replays batch N from state N-1.
 * A sink that gave up waiting because the query is stopping (StopRequestedError) ends the batch there: the error is
 * returned, not thrown, and nothing is committed.
 */
export class BatchRunner {
  private readonly pipeline: (input: Observable<MicroBatch>) => Observable<MicroBatch>;

  constructor(
    private readonly inputs: RunnerInputs,
    operators: readonly BatchOperator[],
    private readonly sink: Sink,
    private readonly stateful: readonly StatefulOperator[],
    private readonly watermark: WatermarkTracker,
    private readonly badRecords: BadRecords,
    private readonly reporter: ProgressReporter,
  ) {
    this.pipeline = (input) => operators.reduce((stream, operator) => operator(stream), input);
  }

  async run(batch: PlannedBatch): Promise<BatchResult | StopRequestedError> {
    const inputs = await this.reporter.reportTimeTaken('getBatch', () => this.getRows(batch));
    if (this.inputs.unions.length > 0) {
      // A union concatenates rows: its branches' inputs as rows (a columnar batch builds them once, cached).
      const rowsBySource = inputs.map((input) => (Array.isArray(input) ? input : input.rows()));
      for (const union of this.inputs.unions) union.supply(rowsBySource);
    }
    const result = await this.reporter.reportTimeTaken('addBatch', () => this.addBatch(batch.entry, inputs));
    if (result instanceof StopRequestedError) return result;
    await this.badRecords.finishBatch(); // before commits/N: a replay rewrites the same dead-letter file
    return result;
  }

  /**
   * Each source's rows of the batch, in source order (as columns when the source produces them); a source whose offset
   * did not move reads nothing (all of them in a no-data batch, which only applies the new watermark).
   */
  private async getRows({ entry, starts, ends }: PlannedBatch): Promise<Array<Row[] | ColumnBatch>> {
    this.badRecords.beginBatch(entry.batchId);
    const inputs: Array<Row[] | ColumnBatch> = [];
    for (const [i, source] of this.inputs.sources.entries()) {
      const end = ends[i];
      inputs.push(end === null || sameOffset(starts[i], end) ? [] : await readBatch(source, starts[i], end));
    }
    return inputs;
  }

  private async addBatch(entry: OffsetEntry, inputs: Array<Row[] | ColumnBatch>): Promise<BatchResult | StopRequestedError> {
    const meta = {
      batchId: entry.batchId,
      watermarkMs: entry.batchWatermarkMs,
      lateWatermarkMs: entry.lateEventsWatermarkMs,
      batchTimestampMs: entry.batchTimestampMs,
    };
    const batch = toMicroBatch(meta, inputs[0]); // columns stay columns until something needs rows (src/core/columnar)
    const { output, nextWatermarkMs, eventTime } = await this.reporter.reportAddBatchPart('operators', async () => {
      const output = await lastValueFrom(of(batch).pipe(this.pipeline), { defaultValue: { ...meta, rows: [] } });
      return { output, ...this.watermark.advance(entry.batchWatermarkMs) };
    });
    // The sink and the state commit are independent; both must be done before commits/N, so they run side by side
    // (each state commit waits on an fsync). Both are awaited before a failure of either is thrown.
    const [written, committed] = await this.reporter.reportAddBatchPart('sink', () =>
      Promise.allSettled([writeBatch(this.sink, output, entry.batchId), this.commitState(entry.batchId)]),
    );
    if (written.status === 'rejected' && written.reason instanceof StopRequestedError) return written.reason;
    if (written.status === 'rejected') throw written.reason;
    if (committed.status === 'rejected') throw committed.reason;
    const numInputRowsBySource = inputs.map((input) => input.length);
    const numInputRows = numInputRowsBySource.reduce((a, b) => a + b, 0);
    return { numInputRows, numInputRowsBySource, numOutputRows: batchLength(output), nextWatermarkMs, ...(eventTime ? { eventTime } : {}) };
  }

  /** State version N of every stateful operator, one after another (operator ids are positions in the query). */
  private async commitState(batchId: number): Promise<void> {
    for (const [operatorId, operator] of this.stateful.entries()) {
      await this.reporter.reportStateCommit(operatorId, () => operator.commit(batchId));
    }
  }
}
