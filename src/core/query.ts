import { randomUUID } from 'node:crypto';
import { asyncScheduler, lastValueFrom, of, Subject, from, type Observable, type SchedulerLike } from 'rxjs';
import { Checkpoint, type OffsetEntry } from './checkpoint/checkpoint.js';
import { silentLogger, type Logger } from './logger.js';
import type { BatchOperator, MicroBatch } from './operator.js';
import { perSecond, type QueryProgress } from './progress.js';
import type { Offset } from './row.js';
import type { OutputMode, Sink } from './sink.js';
import type { Source } from './source.js';
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
  /** Upper bound on rows per batch, passed to the source (Spark's maxOffsetsPerTrigger / maxFilesPerTrigger). */
  maxRowsPerBatch?: number;
  /** Log entries kept in the checkpoint (Spark's spark.sql.streaming.minBatchesToRetain). */
  minBatchesToRetain?: number;
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
 */
export class StreamingQuery {
  readonly runId = randomUUID();
  /** Emits one progress object after every batch. */
  readonly progress$ = new Subject<QueryProgress>();
  lastProgress: QueryProgress | undefined;

  private readonly scheduler: SchedulerLike;
  private readonly logger: Logger;
  private readonly stop$ = new Subject<void>();
  private readonly pipeline: (input: Observable<MicroBatch>) => Observable<MicroBatch>;
  private checkpoint!: Checkpoint;
  private nextBatchId = 0;
  private committedOffset: Offset | null = null;
  private watermarkMs = 0;
  private recovery: Recovery | undefined;
  private batchesRun = 0;
  private lastTriggerStart: number | undefined;
  private availableNowTarget: Offset | null | undefined;

  constructor(
    readonly definition: QueryDefinition,
    private readonly options: RunOptions = {},
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.logger = options.logger ?? silentLogger;
    const operators = definition.operators;
    this.pipeline = (input) => operators.reduce((stream, operator) => operator(stream), input);
  }

  /** The query id, stable across restarts (from the checkpoint); available once `run()` has started. */
  get id(): string {
    return this.checkpoint?.metadata.id;
  }

  /** Finish the batch in flight, commit it, then end `run()`. */
  stop(): void {
    this.stop$.next();
  }

  /** Runs until stopped, until `maxBatches`, or (availableNow) until the source is exhausted. */
  async run(): Promise<void> {
    const { definition: def } = this;
    this.checkpoint = await Checkpoint.open(def.checkpointLocation, def.name);
    try {
      await this.openSource();
      await def.sink.open({ queryId: this.id, queryName: def.name, outputMode: def.outputMode, logger: this.logger });
      try {
        await this.recover();
        if (def.trigger.kind === 'availableNow') await this.prepareAvailableNow();
        if (this.options.maxBatches === 0) return;
        const loop = triggerLoop(def.trigger, () => from(this.runTrigger()), this.scheduler, this.stop$, this.options.pollMs);
        await lastValueFrom(loop, { defaultValue: undefined });
      } finally {
        await def.sink.close();
      }
    } finally {
      await def.source.stop();
      await this.checkpoint.close();
      this.progress$.complete();
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
    const triggerStart = now();
    const recovered = this.recovery !== undefined;
    let entry: OffsetEntry;
    let latestOffsetMs = 0;
    let walMs = 0;

    if (this.recovery) {
      entry = this.recovery.entry;
      this.recovery = undefined;
    } else {
      const latest =
        this.availableNowTarget !== undefined ? this.availableNowTarget : await source.latestOffset(this.committedOffset);
      latestOffsetMs = now() - triggerStart;
      if (latest === null || sameOffset(latest, this.committedOffset)) {
        return { ranBatch: false, exhausted: true };
      }
      entry = { batchId: this.nextBatchId, batchWatermarkMs: this.watermarkMs, batchTimestampMs: triggerStart, offsets: [latest] };
      const walStart = now();
      await this.checkpoint.writeOffsets(entry);
      walMs = now() - walStart;
    }

    const start = this.committedOffset;
    const end = entry.offsets[0];
    const getBatchStart = now();
    const rows = await source.getBatch(start, end);
    const getBatchMs = now() - getBatchStart;

    const addBatchStart = now();
    const batch: MicroBatch = { batchId: entry.batchId, rows, watermarkMs: entry.batchWatermarkMs, batchTimestampMs: entry.batchTimestampMs };
    const output = await lastValueFrom(of(batch).pipe(this.pipeline), { defaultValue: { ...batch, rows: [] } });
    await sink.foreachBatch(output.rows, entry.batchId);
    const addBatchMs = now() - addBatchStart;

    const commitStart = now();
    await this.checkpoint.writeCommit(entry.batchId, { nextBatchWatermarkMs: this.watermarkMs });
    source.commit?.(end);
    await this.checkpoint.purge(entry.batchId, this.definition.minBatchesToRetain ?? 100);
    const commitMs = now() - commitStart;

    this.committedOffset = end;
    this.nextBatchId = entry.batchId + 1;
    this.batchesRun++;
    const triggerMs = now() - triggerStart;
    this.report({
      entry, start, end, recovered, triggerStart, numInputRows: rows.length, numOutputRows: output.rows.length,
      durations: { latestOffset: latestOffsetMs, getBatch: getBatchMs, addBatch: addBatchMs, walCommit: walMs + commitMs, commitOffsets: commitMs, triggerExecution: triggerMs },
    });
    if (this.options.maxBatches !== undefined && this.batchesRun >= this.options.maxBatches) this.stop();
    return { ranBatch: true, exhausted: trigger.kind === 'availableNow' ? false : undefined };
  }

  private report(b: {
    entry: OffsetEntry; start: Offset | null; end: Offset; recovered: boolean; triggerStart: number;
    numInputRows: number; numOutputRows: number; durations: QueryProgress['durationMs'];
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
      stateOperators: [],
      sources: [
        {
          description: source.description,
          startOffset: b.start,
          endOffset: b.end,
          latestOffset: b.end,
          numInputRows: b.numInputRows,
          inputRowsPerSecond,
          processedRowsPerSecond,
          metrics: source.metrics?.() ?? {},
        },
      ],
      sink: { description: sink.description, numOutputRows: b.numOutputRows },
      ...(b.recovered ? { recovered: true } : {}),
    };
    this.lastProgress = progress;
    this.progress$.next(progress);
  }
}

function sameOffset(a: Offset | null, b: Offset | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
