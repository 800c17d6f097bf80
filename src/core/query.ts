import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { asyncScheduler, lastValueFrom, of, Subject, from, type Observable, type SchedulerLike } from 'rxjs';
import { BadRecords, type BadRecordPolicy } from './bad-records.js';
import { Checkpoint, type OffsetEntry, type SourceIdentity } from './checkpoint/checkpoint.js';
import { silentLogger, type Logger } from './logger.js';
import type { BatchOperator, EventTimeStats, MicroBatch, StatefulOperator, WatermarkOperator } from './operator.js';
import { perSecond, type EventTimeProgress, type QueryProgress, type StateOperatorProgress } from './progress.js';
import type { Offset } from './row.js';
import type { OutputMode, Sink } from './sink.js';
import type { Source } from './source.js';
import { StopRequestedError } from './stop.js';
import { triggerLoop, type Trigger, type TriggerOutcome } from './trigger.js';

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

interface Recovery {
  entry: OffsetEntry;
  start: Offset | null;
}

/**
 * The micro-batch engine, after Spark's MicroBatchExecution. Per batch N:
 *   1. ask the source for its latest offset (no new data: no batch);
 *   2. write offsets/N (the write-ahead log) atomically;
 *   3. get the rows in (start, end];
 *   4. run the operators;
 *   5. sink.foreachBatch(rows, N) and wait for it;
 *   6. write commits/N atomically, then let the source drop what is committed.
 * On restart: if the newest offsets entry has no commit entry, that batch runs again with the same id and the same
 * offsets, hence the same rows from a replayable source; otherwise the query goes on at the next id.
 * Batches run one at a time: N+1 never starts before commits/N is written.
 *
 * Event time and state (hooks attached to operators, see BatchOperator):
 * - Watermark (Spark's WatermarkTracker): after the operators ran, each withWatermark reports the max event time of
 *   the batch; the next batch's watermark is max(current, min over withWatermark operators of (max seen - delay)).
 *   It is written to commits/N as nextBatchWatermarkMs and to offsets/N+1 as batchWatermarkMs, and read back from
 *   them on restart, so it never moves backwards.
 * - Stateful operators restore the state after the last committed batch at start (step 0), and commit state version
 *   N alongside step 5 (both done before step 6): a crash before commits/N replays batch N from state N-1.
 * - No-data batches: when the watermark moved and a stateful operator could emit or evict with it, a batch runs
 *   even without new rows (same offsets, new watermark), as Spark does, so append-mode windows come out without
 *   waiting for more input.
 */
export class StreamingQuery {
  readonly runId = randomUUID();
  /** Emits one progress object after every batch. */
  readonly progress$ = new Subject<QueryProgress>();
  lastProgress: QueryProgress | undefined;

  private readonly scheduler: SchedulerLike;
  private readonly logger: Logger;
  private readonly stop$ = new Subject<void>();
  /** Lets a sink that is only waiting give up at once when the query is stopped (SinkContext.stopSignal). */
  private readonly stopController = new AbortController();
  private readonly pipeline: (input: Observable<MicroBatch>) => Observable<MicroBatch>;
  private checkpoint!: Checkpoint;
  private nextBatchId = 0;
  private committedOffset: Offset | null = null;
  private watermarkMs = 0;
  private recovery: Recovery | undefined;
  private batchesRun = 0;
  private lastTriggerStart: number | undefined;
  private availableNowTarget: Offset | null | undefined;
  private readonly stateful: StatefulOperator[];
  private readonly watermarks: WatermarkOperator[];
  /** Per withWatermark operator: the highest (max event time - delay) seen in this run (Spark's operatorToWatermarkMap). */
  private readonly operatorWatermarks: Array<number | undefined>;
  /** The watermark the last batch ran with; a newer one (this.watermarkMs) may call for a no-data batch. */
  private lastBatchWatermarkMs = 0;
  private triggersStarted = 0;
  /** stop() was called (not maxBatches): a push source drains what it buffered before the query ends. */
  private stopRequested = false;
  private idleWaiters: Array<{ afterTrigger: number; resolve: () => void; reject: (error: unknown) => void }> = [];
  private readonly badRecords: BadRecords;

  constructor(
    readonly definition: QueryDefinition,
    private readonly options: RunOptions = {},
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.logger = options.logger ?? silentLogger;
    const operators = definition.operators;
    this.pipeline = (input) => operators.reduce((stream, operator) => operator(stream), input);
    this.stateful = operators.flatMap((o) => (o.stateful ? [o.stateful] : []));
    this.watermarks = operators.flatMap((o) => (o.watermark ? [o.watermark] : []));
    this.operatorWatermarks = this.watermarks.map(() => undefined);
    const deadLetterDir = definition.deadLetterPath ?? join(definition.checkpointLocation, 'deadLetters');
    this.badRecords = new BadRecords(definition.onBadRecord ?? 'fail', deadLetterDir);
  }

  /** The query id, stable across restarts (from the checkpoint); available once `run()` has started. */
  get id(): string {
    return this.checkpoint?.metadata.id;
  }

  /** Finish the batch in flight, commit it, write what a push source still buffers, then end `run()`. */
  stop(): void {
    this.stopRequested = true;
    this.stop$.next();
    this.stopController.abort();
  }

  /**
   * Resolves once the query has processed everything available when it was called, no-data batches included (Spark's
   * `processAllAvailable`, for tests and notebooks): when a trigger that started after the call found nothing to do,
   * or when the query ended. Rejects if the query fails.
   */
  processAllAvailable(): Promise<void> {
    return new Promise((resolve, reject) => this.idleWaiters.push({ afterTrigger: this.triggersStarted, resolve, reject }));
  }

  /** Runs until stopped, until `maxBatches`, or (availableNow) until the source is exhausted. */
  async run(): Promise<void> {
    const { definition: def } = this;
    this.checkpoint = await Checkpoint.open(def.checkpointLocation, def.name, def.sourceIdentity);
    try {
      await this.openSource();
      const badRecords = this.badRecords.handler('sink', def.sink.description);
      await def.sink.open({
        queryId: this.id,
        queryName: def.name,
        outputMode: def.outputMode,
        logger: this.logger,
        badRecords,
        stopSignal: this.stopController.signal,
      });
      try {
        await this.recover();
        const resumeAt = this.recovery?.entry ?? { batchId: this.nextBatchId - 1, offsets: [this.committedOffset] };
        await this.checkpoint.checkSourcePosition(def.source, resumeAt.batchId, resumeAt.offsets[0], this.committedOffset);
        await this.openStateful();
        if (def.trigger.kind === 'availableNow') await this.prepareAvailableNow();
        if (this.options.maxBatches === 0) return;
        const loop = triggerLoop(def.trigger, () => from(this.runTrigger()), this.scheduler, this.stop$, this.options.pollMs);
        await lastValueFrom(loop, { defaultValue: undefined });
        if (this.stopRequested) await this.drainSource();
      } finally {
        for (const operator of this.stateful) await operator.close();
        await def.sink.close();
      }
    } catch (error) {
      this.settleIdleWaiters(0, error);
      throw error;
    } finally {
      await def.source.stop();
      await this.checkpoint.close();
      this.settleIdleWaiters(Infinity);
      this.progress$.complete();
    }
  }

  /** A push source stops taking in rows; batches then run until what it buffered is written (none when it has none). */
  private async drainSource(): Promise<void> {
    const { source } = this.definition;
    if (!source.drain) return;
    await source.drain();
    while ((await this.runTrigger()).ranBatch) {}
  }

  /** Step 0: each stateful operator opens its store and loads the state the last committed batch left. */
  private async openStateful(): Promise<void> {
    const { checkpointLocation, outputMode } = this.definition;
    for (const [operatorId, operator] of this.stateful.entries()) {
      await operator.open({ operatorId, stateDir: join(checkpointLocation, 'state', String(operatorId)), outputMode, logger: this.logger });
      await operator.restore(this.nextBatchId - 1);
    }
  }

  /** Resolves processAllAvailable() calls made before trigger `upTo` started (all of them with Infinity), or rejects them. */
  private settleIdleWaiters(upTo: number, error?: unknown): void {
    const due = (w: { afterTrigger: number }) => error !== undefined || w.afterTrigger < upTo;
    const settled = this.idleWaiters.filter(due);
    this.idleWaiters = this.idleWaiters.filter((w) => !due(w));
    for (const waiter of settled) {
      if (error !== undefined) waiter.reject(error);
      else waiter.resolve();
    }
  }

  /**
   * availableNow: the source fixes its target itself when it can (and then still honours maxRowsPerBatch);
   * otherwise the engine reads the latest offset once and never asks again, as Spark's AvailableNowDataStreamWrapper.
   */
  private async prepareAvailableNow(): Promise<void> {
    const { source } = this.definition;
    if (source.prepareForTriggerAvailableNow) return source.prepareForTriggerAvailableNow();
    this.availableNowTarget = await source.latestOffset(this.committedOffset);
  }

  private async openSource(): Promise<void> {
    const stored = await this.checkpoint.readSourceMetadata(0);
    const opened = await this.definition.source.open({
      scheduler: this.scheduler,
      logger: this.logger,
      metadata: stored,
      maxRowsPerBatch: this.definition.maxRowsPerBatch,
      badRecords: this.badRecords.handler('source', this.definition.source.description),
    });
    if (stored === undefined && opened && opened.metadata !== undefined) {
      await this.checkpoint.writeSourceMetadata(0, opened.metadata);
    }
  }

  /** Reads the logs and decides where this run starts: Spark's `populateStartOffsets`. */
  private async recover(): Promise<void> {
    const latest = await this.checkpoint.offsets.latest();
    if (latest === undefined) return;
    const entry = await this.checkpoint.readOffsets(latest);
    const commit = await this.checkpoint.readCommit(latest);
    const previous = latest > 0 ? await this.checkpoint.readOffsets(latest - 1) : undefined;
    const { source } = this.definition;
    if (commit) {
      this.nextBatchId = latest + 1;
      this.committedOffset = source.replayable ? entry!.offsets[0] : null;
      this.watermarkMs = commit.nextBatchWatermarkMs;
      this.lastBatchWatermarkMs = entry!.batchWatermarkMs;
      return;
    }
    this.nextBatchId = latest;
    this.watermarkMs = entry!.batchWatermarkMs;
    if (source.replayable) {
      this.committedOffset = previous?.offsets[0] ?? null;
      this.recovery = { entry: entry!, start: this.committedOffset };
    } else {
      this.logger.warn(
        `batch ${latest} of the previous run never committed, and ${source.description} is not replayable: ` +
          `its rows cannot be read again and are lost. Batch ${latest} is planned anew from this run's data.`,
      );
    }
  }

  private async runTrigger(): Promise<TriggerOutcome> {
    const { source, sink, trigger } = this.definition;
    const now = () => this.scheduler.now();
    const triggerNumber = ++this.triggersStarted;
    const triggerStart = now();
    const recovered = this.recovery !== undefined;
    let entry: OffsetEntry;
    let latestOffsetMs = 0;
    let walMs = 0;

    if (this.recovery) {
      entry = this.recovery.entry;
      this.recovery = undefined;
    } else {
      const latest = this.availableNowTarget !== undefined ? this.availableNowTarget : await source.latestOffset(this.committedOffset);
      latestOffsetMs = now() - triggerStart;
      const newData = latest !== null && !sameOffset(latest, this.committedOffset);
      if (!newData && !this.needsNoDataBatch()) {
        this.settleIdleWaiters(triggerNumber);
        return { ranBatch: false, exhausted: true };
      }
      const end = newData ? latest : this.committedOffset;
      entry = { batchId: this.nextBatchId, batchWatermarkMs: this.watermarkMs, batchTimestampMs: triggerStart, offsets: [end] };
      const walStart = now();
      await this.checkpoint.writeOffsets(entry);
      walMs = now() - walStart;
    }

    const start = this.committedOffset;
    const end = entry.offsets[0];
    const getBatchStart = now();
    this.badRecords.beginBatch(entry.batchId);
    // A no-data batch (same offsets as the previous one) reads nothing: it only applies the new watermark.
    const rows = sameOffset(start, end) ? [] : await source.getBatch(start, end);
    const getBatchMs = now() - getBatchStart;

    const addBatchStart = now();
    const batch: MicroBatch = {
      batchId: entry.batchId,
      rows,
      watermarkMs: entry.batchWatermarkMs,
      batchTimestampMs: entry.batchTimestampMs,
    };
    const output = await lastValueFrom(of(batch).pipe(this.pipeline), { defaultValue: { ...batch, rows: [] } });
    const eventTime = this.advanceWatermark(entry.batchWatermarkMs);
    // The sink and the state commit are independent; both must be done before commits/N, so they run side by side
    // (each state commit waits on an fsync). Both are awaited before a failure of either is thrown.
    const stateCommitMs: number[] = [];
    const commitState = async () => {
      for (const operator of this.stateful) {
        const stateStart = now();
        await operator.commit(entry.batchId);
        stateCommitMs.push(now() - stateStart);
      }
    };
    const [written, committed] = await Promise.allSettled([sink.foreachBatch(output.rows, entry.batchId), commitState()]);
    if (written.status === 'rejected' && written.reason instanceof StopRequestedError) {
      // Stopped while the sink waited: like a crash before commits/N, the batch runs again on the next start.
      this.logger.warn(`batch ${entry.batchId} not committed (it runs again on the next start): ${written.reason.message}`);
      return { ranBatch: false, exhausted: true };
    }
    if (written.status === 'rejected') throw written.reason;
    if (committed.status === 'rejected') throw committed.reason;
    const addBatchMs = now() - addBatchStart;

    await this.badRecords.finishBatch(); // before commits/N: a replay rewrites the same dead-letter file
    const commitStart = now();
    await this.checkpoint.writeCommit(entry.batchId, { nextBatchWatermarkMs: eventTime.nextWatermarkMs });
    source.commit?.(end);
    await this.checkpoint.purge(entry.batchId, this.definition.minBatchesToRetain ?? 100);
    const commitMs = now() - commitStart;

    this.committedOffset = end;
    this.nextBatchId = entry.batchId + 1;
    this.lastBatchWatermarkMs = entry.batchWatermarkMs;
    this.watermarkMs = eventTime.nextWatermarkMs;
    this.batchesRun++;
    const triggerMs = now() - triggerStart;
    this.report({
      entry,
      start,
      end,
      recovered,
      triggerStart,
      numInputRows: rows.length,
      numOutputRows: output.rows.length,
      durations: {
        latestOffset: latestOffsetMs,
        getBatch: getBatchMs,
        addBatch: addBatchMs,
        walCommit: walMs + commitMs,
        commitOffsets: commitMs,
        triggerExecution: triggerMs,
      },
      eventTime: eventTime.progress,
      stateOperators: this.stateful.map((o, i) => ({ ...o.metrics(), commitTimeMs: stateCommitMs[i] })),
    });
    if (this.options.maxBatches !== undefined && this.batchesRun >= this.options.maxBatches) this.stop$.next();
    return { ranBatch: true, exhausted: trigger.kind === 'availableNow' ? false : undefined };
  }

  /** Spark's shouldRunAnotherBatch: the watermark moved since the last batch and some operator can use it. */
  private needsNoDataBatch(): boolean {
    return this.watermarkMs > this.lastBatchWatermarkMs && this.stateful.some((o) => o.shouldRunAnotherBatch(this.watermarkMs));
  }

  /**
   * Spark's WatermarkTracker.updateWatermark, after a batch ran with watermark `current`: each withWatermark proposes
   * max event time - delay (0 until it has seen a row); the query's watermark becomes the smallest proposal if that
   * is ahead of `current`. Also gathers the batch's event-time statistics for progress.
   */
  private advanceWatermark(current: number): { nextWatermarkMs: number; progress?: EventTimeProgress } {
    if (this.watermarks.length === 0) return { nextWatermarkMs: current };
    let merged: EventTimeStats | undefined;
    this.watermarks.forEach((operator, i) => {
      const stats = operator.stats();
      if (stats) {
        const proposal = stats.max - operator.delayMs;
        this.operatorWatermarks[i] = Math.max(this.operatorWatermarks[i] ?? -Infinity, proposal);
        merged = merged
          ? {
              min: Math.min(merged.min, stats.min),
              max: Math.max(merged.max, stats.max),
              sum: merged.sum + stats.sum,
              count: merged.count + stats.count,
            }
          : stats;
      } else if (this.operatorWatermarks[i] === undefined) {
        this.operatorWatermarks[i] = 0;
      }
    });
    const chosen = Math.min(...this.operatorWatermarks.map((w) => w ?? 0));
    const iso = (ms: number) => new Date(ms).toISOString();
    const progress: EventTimeProgress = merged
      ? { min: iso(merged.min), max: iso(merged.max), avg: iso(Math.trunc(merged.sum / merged.count)), watermark: iso(current) }
      : { watermark: iso(current) };
    return { nextWatermarkMs: Math.max(current, chosen), progress };
  }

  private report(b: {
    entry: OffsetEntry;
    start: Offset | null;
    end: Offset;
    recovered: boolean;
    triggerStart: number;
    numInputRows: number;
    numOutputRows: number;
    durations: QueryProgress['durationMs'];
    eventTime?: EventTimeProgress;
    stateOperators: StateOperatorProgress[];
  }): void {
    const { source, sink, name } = this.definition;
    const sincePrevious = this.lastTriggerStart === undefined ? 0 : b.triggerStart - this.lastTriggerStart;
    this.lastTriggerStart = b.triggerStart;
    const inputRowsPerSecond = perSecond(b.numInputRows, sincePrevious);
    const processedRowsPerSecond = perSecond(b.numInputRows, b.durations.triggerExecution);
    const progress: QueryProgress = {
      id: this.id,
      runId: this.runId,
      name,
      timestamp: new Date(b.triggerStart).toISOString(),
      batchId: b.entry.batchId,
      batchDuration: b.durations.triggerExecution,
      numInputRows: b.numInputRows,
      inputRowsPerSecond,
      processedRowsPerSecond,
      durationMs: b.durations,
      ...(b.eventTime ? { eventTime: b.eventTime } : {}),
      stateOperators: b.stateOperators,
      sources: [
        {
          description: source.description,
          startOffset: b.start,
          endOffset: b.end,
          latestOffset: b.end,
          numInputRows: b.numInputRows,
          inputRowsPerSecond,
          processedRowsPerSecond,
          metrics: { ...source.metrics?.(), ...this.badRecords.metrics('source') },
        },
      ],
      sink: { description: sink.description, numOutputRows: b.numOutputRows, ...this.badRecords.sinkProgress() },
      ...(b.recovered ? { recovered: true } : {}),
    };
    this.lastProgress = progress;
    this.progress$.next(progress);
  }
}

function sameOffset(a: Offset | null, b: Offset | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
