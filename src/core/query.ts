import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { asyncScheduler, from, lastValueFrom, ReplaySubject, Subject, type SchedulerLike } from 'rxjs';
import { BadRecords } from './bad-records.js';
import { planParallelStages } from './columnar/parallel/plan.js';
import { Checkpoint } from './checkpoint/checkpoint.js';
import { BatchPlanner, type PlannedBatch } from './execution/batch-planner.js';
import { BatchRunner, type BatchResult } from './execution/batch-runner.js';
import { ProgressReporter } from './execution/progress-reporter.js';
import { recoverPosition } from './execution/recovery.js';
import { allOperators, unionHookOf } from './execution/union-operator.js';
import { WatermarkTracker } from './execution/watermark-tracker.js';
import { silentLogger, type Logger } from './logger.js';
import type { BatchOperator, StatefulOperator } from './operator.js';
import type { QueryProgress } from './progress.js';
import type { QueryDefinition, RunOptions } from './query-definition.js';
import type { Offset } from './row.js';
import type { Backlog, Source } from './source.js';
import { StopRequestedError } from './stop.js';
import { triggerLoop, type TriggerOutcome } from './trigger.js';

// What a query is made of lives beside it, so this file holds the engine only; importers keep importing it from here.
export type { QueryDefinition, RunOptions } from './query-definition.js';

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
 * This class keeps the lifecycle (open, recover, run the trigger loop, close), recovery and the
 * processAllAvailable() waiters; each trigger is the work of four pieces under ./execution/, as Spark splits it:
 * - BatchPlanner (constructNextBatch): steps 1-2 and 6, and where the stream stands (committed offset, next id);
 * - BatchRunner (runBatch): steps 3-5, with the state commit of stateful operators beside the sink;
 * - WatermarkTracker: the event-time watermark, moved after each batch and kept in the logs;
 * - ProgressReporter: times each phase by name (reportTimeTaken) and emits one progress object per batch.
 * Stateful operators restore the state of the last committed batch at start, and commit version N beside step 5.
 */
export class StreamingQuery {
  readonly runId = randomUUID();
  /** Emits one progress object after every batch. */
  readonly progress$ = new Subject<QueryProgress>();
  lastProgress: QueryProgress | undefined;

  private readonly scheduler: SchedulerLike;
  private readonly logger: Logger;
  /** Replays its one value: a stop() while the source or sink is still opening ends the loop before it starts. */
  private readonly stop$ = new ReplaySubject<void>(1);
  /** Aborted by stop() (not by maxBatches): a waiting sink gives up at once (SinkContext.stopSignal), a push source drains. */
  private readonly stopController = new AbortController();
  private readonly stateful: StatefulOperator[];
  private readonly watermark: WatermarkTracker;
  private readonly reporter: ProgressReporter;
  private readonly runner: BatchRunner;
  private readonly badRecords: BadRecords;
  /** The job's source, then each union branch's: the order of offsets/N's lines and of progress `sources`. */
  private readonly sources: Source[];
  /** The operators as they run: runs of sliceable ones made parallel stages when the query has several cores. */
  private readonly planned: BatchOperator[];
  private checkpoint!: Checkpoint;
  private planner!: BatchPlanner;
  private batchesRun = 0;
  /**
   * A batch stopped before its commit (the sink gave up waiting on stop): nothing else may run in this process, or
   * the next plan would rewrite offsets/N over it with other rows; the batch runs again on the next start.
   */
  private leftUncommitted = false;
  private triggersStarted = 0;
  private idleWaiters: Array<{ afterTrigger: number; resolve: () => void; reject: (error: unknown) => void }> = [];

  constructor(
    readonly definition: QueryDefinition,
    private readonly options: RunOptions = {},
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.logger = options.logger ?? silentLogger;
    const { source, sink } = definition;
    this.sources = [source, ...(definition.unionSources ?? []).map((u) => u.source)];
    // A union's branch operators count as the query's: each branch's withWatermark proposes a watermark.
    const operators = allOperators(definition.operators);
    this.stateful = operators.flatMap((o) => (o.stateful ? [o.stateful] : []));
    const watermarks = operators.flatMap((o) => (o.watermark ? [o.watermark] : []));
    this.watermark = new WatermarkTracker(watermarks, this.stateful, definition.multipleWatermarkPolicy);
    const deadLetters = definition.deadLetterPath ?? join(definition.checkpointLocation, 'deadLetters');
    this.badRecords = new BadRecords(definition.onBadRecord ?? 'fail', deadLetters);
    this.reporter = new ProgressReporter({
      runId: this.runId,
      queryId: () => this.id,
      query: definition,
      sources: this.sources,
      stateful: this.stateful,
      badRecords: this.badRecords,
      scheduler: this.scheduler,
      emit: (progress) => this.progress$.next((this.lastProgress = progress)),
    });
    const unions = operators.flatMap((o) => unionHookOf(o) ?? []);
    this.planned = planParallelStages(definition.operators, definition.cores ?? 1, options.parallelMinRows);
    this.runner = new BatchRunner(
      { sources: this.sources, unions },
      this.planned,
      sink,
      this.stateful,
      this.watermark,
      this.badRecords,
      this.reporter,
    );
  }

  /** The query id, stable across restarts (from the checkpoint); available once `run()` has started. */
  get id(): string {
    return this.checkpoint?.metadata.id;
  }

  /** Batches run and committed by this process's `run()` (0 when it found nothing new: the CLI says so). */
  get batchesRunHere(): number {
    return this.batchesRun;
  }

  /** The id of the batch that runs next, once `run()` has started (0 for a new checkpoint). */
  get nextBatchId(): number | undefined {
    return this.planner?.nextBatchId;
  }

  /** Finish the batch in flight, commit it, write what a push source still buffers, then end `run()`. */
  stop(): void {
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

  /**
   * availableNow: how far the run is through what was available at its start, once everything up to `committed` (by
   * default the last committed end) is committed; undefined for other triggers, before the run started, or when the
   * source cannot count (Source.backlog).
   */
  backlog(committed: Offset | null | undefined = this.planner?.lastCommittedOffset): Backlog | undefined {
    // With union branches: the job's source only (what `committed` is an offset of).
    if (this.definition.trigger.kind !== 'availableNow' || !this.planner || committed === undefined) return undefined;
    return this.definition.source.backlog?.(committed);
  }

  /** Runs until stopped, until `maxBatches`, or (availableNow) until the source is exhausted. */
  async run(): Promise<void> {
    const { definition: def } = this;
    const unionIdentities = (def.unionSources ?? []).map((u) => u.identity ?? { type: u.source.description, options: {} });
    this.checkpoint = await Checkpoint.open(def.checkpointLocation, def.name, def.sourceIdentity, unionIdentities);
    this.planner = new BatchPlanner(this.sources, this.checkpoint, this.watermark, this.reporter, def.minBatchesToRetain);
    try {
      for (const index of this.sources.keys()) await this.openSource(index);
      await this.openSink();
      try {
        await recoverPosition(this.checkpoint, this.sources, this.planner, this.watermark, this.logger);
        await this.checkSourcePositions();
        await this.openStateful();
        for (const operator of allOperators(def.operators)) await operator.prepare?.({ logger: this.logger, nowMs: this.scheduler.now() });
        if (def.trigger.kind === 'availableNow') await this.planner.prepareAvailableNow();
        if (this.options.maxBatches === 0) return;
        const loop = triggerLoop(def.trigger, () => from(this.runTrigger()), this.scheduler, this.stop$, this.options.pollMs);
        await lastValueFrom(loop, { defaultValue: undefined });
        if (this.stopController.signal.aborted && !this.leftUncommitted) await this.drainSource();
      } finally {
        for (const operator of this.stateful) await operator.close();
        for (const operator of this.planned) await operator.close?.();
        await def.sink.close();
      }
    } catch (error) {
      this.settleIdleWaiters(0, error);
      throw error;
    } finally {
      for (const source of this.sources) await source.stop();
      await this.checkpoint.close();
      this.settleIdleWaiters(Infinity);
      this.progress$.complete();
    }
  }

  /** Push sources stop taking in rows; batches then run until what they buffered is written (none when they have none). */
  private async drainSource(): Promise<void> {
    const draining = this.sources.filter((s) => s.drain);
    if (draining.length === 0) return;
    for (const source of draining) await source.drain!();
    while ((await this.runTrigger()).ranBatch) {}
  }

  /** Each recorded end offset must not be ahead of its source (see Checkpoint.checkSourcePosition). */
  private async checkSourcePositions(): Promise<void> {
    const resumeAt = this.planner.resumePoint();
    const committed = this.planner.lastCommittedOffsets;
    for (const [i, source] of this.sources.entries()) {
      await this.checkpoint.checkSourcePosition(source, resumeAt.batchId, resumeAt.ends[i] ?? null, committed[i], i);
    }
  }

  /** Step 0: each stateful operator opens its store and loads the state the last committed batch left. */
  private async openStateful(): Promise<void> {
    const { checkpointLocation, outputMode } = this.definition;
    for (const [operatorId, operator] of this.stateful.entries()) {
      await operator.open({ operatorId, stateDir: join(checkpointLocation, 'state', String(operatorId)), outputMode, logger: this.logger });
      await operator.restore(this.planner.nextBatchId - 1);
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

  /** Opens source `index`, with what it kept in `sources/<index>/` of the checkpoint on its first run. */
  private async openSource(index: number): Promise<void> {
    const source = this.sources[index];
    const stored = await this.checkpoint.readSourceMetadata(index);
    const opened = await source.open({
      scheduler: this.scheduler,
      logger: this.logger,
      metadata: stored,
      maxRowsPerBatch: this.definition.maxRowsPerBatch,
      badRecords: this.badRecords.handler('source', source.description),
      checkpointDir: join(this.checkpoint.dir, 'sources', String(index)),
    });
    if (stored === undefined && opened && opened.metadata !== undefined) {
      await this.checkpoint.writeSourceMetadata(index, opened.metadata);
    }
  }

  private async openSink(): Promise<void> {
    const { sink, name, outputMode } = this.definition;
    const badRecords = this.badRecords.handler('sink', sink.description);
    const stopSignal = this.stopController.signal;
    await sink.open({ queryId: this.id, queryName: name, outputMode, logger: this.logger, badRecords, stopSignal });
  }

  /** One trigger: plan, run and commit a batch if there is one, then report its progress. */
  private async runTrigger(): Promise<TriggerOutcome> {
    const triggerNumber = ++this.triggersStarted;
    const triggerStartMs = this.reporter.startTrigger();
    const ran = await this.reporter.reportTimeTaken('triggerExecution', () => this.runNextBatch(triggerStartMs));
    if (ran === 'stopped') return { ranBatch: false, exhausted: true };
    if (!ran) {
      this.settleIdleWaiters(triggerNumber);
      return { ranBatch: false, exhausted: true };
    }
    this.batchesRun++;
    this.reporter.finishTrigger(ran.batch, ran.result);
    if (this.options.maxBatches !== undefined && this.batchesRun >= this.options.maxBatches) this.stop$.next();
    return { ranBatch: true, exhausted: this.definition.trigger.kind === 'availableNow' ? false : undefined };
  }

  /** Spark's constructNextBatch + runBatch + the commit: undefined when there was nothing to run; see stoppedInBatch. */
  private async runNextBatch(batchTimestampMs: number): Promise<{ batch: PlannedBatch; result: BatchResult } | 'stopped' | undefined> {
    const batch = await this.planner.planNextBatch(batchTimestampMs);
    if (!batch) return undefined;
    const result = await this.runner.run(batch);
    if (result instanceof StopRequestedError) return this.stoppedInBatch(batch, result);
    await this.planner.commit(batch, result.nextWatermarkMs);
    this.watermark.batchCommitted(batch.entry.batchWatermarkMs, result.nextWatermarkMs);
    return { batch, result };
  }

  /** Stopped while the sink waited: like a crash before commits/N, the batch runs again on the next start. */
  private stoppedInBatch(batch: PlannedBatch, reason: StopRequestedError): 'stopped' {
    this.leftUncommitted = true;
    this.logger.warn(`batch ${batch.entry.batchId} not committed (it runs again on the next start): ${reason.message}`);
    return 'stopped';
  }
}
