import type { SchedulerLike } from 'rxjs';
import type { BadRecords } from '../bad-records.js';
import type { StatefulOperator } from '../operator.js';
import { perSecond, type EventTimeProgress, type QueryProgress, type SourceProgress } from '../progress.js';
import type { Sink } from '../sink.js';
import type { Source } from '../source.js';
import type { PlannedBatch } from './batch-planner.js';

/** A named phase of a trigger: a key of progress `durationMs`. */
export type Phase = keyof QueryProgress['durationMs'];

/** What the batch itself tells progress (the rest the reporter measured or reads from the operators). */
export interface BatchOutcome {
  /** Rows read by all sources together (Spark's numInputRows). */
  numInputRows: number;
  /** Rows read by each source, in source order (progress `sources[i].numInputRows`); absent: all from source 0. */
  numInputRowsBySource?: number[];
  numOutputRows: number;
  eventTime?: EventTimeProgress;
}

export interface ProgressReporterOptions {
  runId: string;
  /** The query id, known once the checkpoint is open. */
  queryId: () => string;
  /** What progress names: the query's name, its sink, and its sources in source order (the job's, then union branches'). */
  query: { name: string; sink: Sink };
  sources: readonly Source[];
  stateful: readonly StatefulOperator[];
  /** The query's bad-record counters, for `sources[0].metrics` and `sink.metrics` (numBadRecords). */
  badRecords: BadRecords;
  scheduler: SchedulerLike;
  /** Receives the progress object of every batch. */
  emit: (progress: QueryProgress) => void;
}

/**
 * Spark's ProgressReporter: times the phases of each trigger by name and, after a batch, builds its
 * StreamingQueryProgress. Every duration is measured by reportTimeTaken (time read from the scheduler only), so a
 * phase is named once, where it runs, and lands in `durationMs` under that name.
 */
export class ProgressReporter {
  private triggerStartMs = 0;
  private lastTriggerStartMs: number | undefined;
  private durations = zeroDurations();
  private addBatchParts = { operators: 0, sink: 0 };
  private stateCommitMs: number[] = [];

  constructor(private readonly options: ProgressReporterOptions) {}

  /** Starts timing a trigger; returns its start time (the batch timestamp of a batch it plans). */
  startTrigger(): number {
    this.triggerStartMs = this.options.scheduler.now();
    this.durations = zeroDurations();
    this.addBatchParts = { operators: 0, sink: 0 };
    this.stateCommitMs = [];
    return this.triggerStartMs;
  }

  /**
   * Spark's `reportTimeTaken("walCommit") { ... }`: runs `body` and adds its duration to each named phase (a
   * phase timed twice in one trigger adds up).
   */
  async reportTimeTaken<T>(phases: Phase | readonly Phase[], body: () => Promise<T> | T): Promise<T> {
    const { result, ms } = await this.timed(body);
    for (const phase of typeof phases === 'string' ? [phases] : phases) this.durations[phase] += ms;
    return result;
  }

  /** Times a part of addBatch (progress `addBatchMs`): the operators, or the sink with the state commits. */
  async reportAddBatchPart<T>(part: keyof QueryProgress['addBatchMs'], body: () => Promise<T> | T): Promise<T> {
    const { result, ms } = await this.timed(body);
    this.addBatchParts[part] += ms;
    return result;
  }

  /** Times the commit of state version N by stateful operator `operatorId` (progress `stateOperators[].commitTimeMs`). */
  async reportStateCommit(operatorId: number, body: () => Promise<void>): Promise<void> {
    const { ms } = await this.timed(body);
    this.stateCommitMs[operatorId] = ms;
  }

  /** The batch planned in this trigger has committed: builds its progress and hands it to `emit`. */
  finishTrigger(batch: PlannedBatch, outcome: BatchOutcome): void {
    const { query, stateful, runId, badRecords, sources } = this.options;
    const { name, sink } = query;
    const durationMs = this.durations;
    const sincePrevious = this.lastTriggerStartMs === undefined ? 0 : this.triggerStartMs - this.lastTriggerStartMs;
    this.lastTriggerStartMs = this.triggerStartMs;
    const { numInputRows } = outcome;
    const inputRowsPerSecond = perSecond(numInputRows, sincePrevious);
    const processedRowsPerSecond = perSecond(numInputRows, durationMs.triggerExecution);
    const rates = (rows: number) => ({
      numInputRows: rows,
      inputRowsPerSecond: perSecond(rows, sincePrevious),
      processedRowsPerSecond: perSecond(rows, durationMs.triggerExecution),
    });
    const bySource = outcome.numInputRowsBySource ?? [numInputRows];
    this.options.emit({
      id: this.options.queryId(),
      runId,
      name,
      timestamp: new Date(this.triggerStartMs).toISOString(),
      batchId: batch.entry.batchId,
      batchDuration: durationMs.triggerExecution,
      numInputRows,
      inputRowsPerSecond,
      processedRowsPerSecond,
      durationMs,
      addBatchMs: this.addBatchParts,
      ...(outcome.eventTime ? { eventTime: outcome.eventTime } : {}),
      stateOperators: stateful.map((o, i) => ({ ...o.metrics(), commitTimeMs: this.stateCommitMs[i] })),
      sources: sources.map((source, i) => sourceProgress(source, i, batch, rates(bySource[i] ?? 0), badRecords)),
      sink: { description: sink.description, numOutputRows: outcome.numOutputRows, ...badRecords.sinkProgress() },
      ...(batch.recovered ? { recovered: true } : {}),
    });
  }

  /** The one place that reads the clock around a phase. */
  private async timed<T>(body: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
    const start = this.options.scheduler.now();
    const result = await body();
    return { result, ms: this.options.scheduler.now() - start };
  }
}

/**
 * Source `index`'s entry of progress `sources` (one per source, as Spark's); latestOffset is the end offset the batch
 * planned. The bad-record counters are the query's sources' together: they go with the job's source (index 0).
 */
function sourceProgress(
  source: Source,
  index: number,
  batch: PlannedBatch,
  rates: Pick<SourceProgress, 'numInputRows' | 'inputRowsPerSecond' | 'processedRowsPerSecond'>,
  badRecords: BadRecords,
): SourceProgress {
  return {
    description: source.description,
    startOffset: batch.starts[index] ?? null,
    endOffset: batch.ends[index] ?? null,
    latestOffset: batch.ends[index] ?? null,
    ...rates,
    metrics: { ...source.metrics?.(), ...(index === 0 ? badRecords.metrics('source') : {}) },
  };
}

/** All phases at 0, in the order progress has always listed them; a phase that does not run (latestOffset on a replay) stays 0. */
function zeroDurations(): QueryProgress['durationMs'] {
  return { latestOffset: 0, getBatch: 0, addBatch: 0, walCommit: 0, commitOffsets: 0, triggerExecution: 0 };
}
