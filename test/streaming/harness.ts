/**
 * A small port of Spark's StreamTest for streamlab: a MemoryStream source (each addData is one offset), a sink that
 * records every batch, and a harness that runs a StreamingQuery built from YAML-shaped operators exactly as a job
 * file is built (buildJob: column facts, output-mode rules), so the ported scenarios read like Spark's:
 *
 *   AddData(inputData, 10, 11, 12)   ->  await t.addData(10, 11, 12)   (then waits for processAllAvailable)
 *   CheckNewAnswer((10, 5))          ->  assert.deepEqual(t.newAnswer(f), [[10, 5]])
 *   StopStream / StartStream         ->  await t.stop() / t.start()     (same checkpoint, same sink)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SchedulerLike } from 'rxjs';
import { stringify } from 'yaml';
import { buildJob, type BuiltJob } from '../../src/config/build-job.js';
import { loadJob } from '../../src/config/load-job.js';
import type { BatchOperator } from '../../src/core/operator.js';
import type { QueryProgress } from '../../src/core/progress.js';
import { StreamingQuery, type QueryDefinition } from '../../src/core/query.js';
import type { Offset, Row, Value } from '../../src/core/row.js';
import type { ColumnType, Schema } from '../../src/core/schema.js';
import type { OutputMode, Sink } from '../../src/core/sink.js';
import type { Source } from '../../src/core/source.js';
import type { Trigger } from '../../src/core/trigger.js';

/** Spark's MemoryStream: rows added in steps; the offset is the number of steps; replayable. */
export class MemoryStream implements Source {
  readonly replayable = true;
  readonly description = 'MemoryStream';
  private readonly steps: Row[][] = [];

  constructor(readonly schema: Schema) {}

  addRows(rows: Row[]): void {
    this.steps.push(rows);
  }

  async open() {}
  latestOffset(): Offset | null {
    return this.steps.length === 0 ? null : this.steps.length;
  }
  getBatch(start: Offset | null, end: Offset): Row[] {
    return this.steps.slice((start as number | null) ?? 0, end as number).flat();
  }
  async stop() {}
}

/** Records every batch; can throw once, after recording, at a given batch (a crash between the sink and commits/N). */
export class RecordingSink implements Sink {
  readonly description = 'RecordingSink';
  readonly batches: Array<{ batchId: number; rows: Row[] }> = [];
  crashAfterBatch: number | undefined;

  async open() {}
  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    this.batches.push({ batchId, rows });
    if (batchId === this.crashAfterBatch) {
      this.crashAfterBatch = undefined;
      throw new Error(`simulated crash after the sink wrote batch ${batchId}`);
    }
  }
  async close() {}
}

export interface HarnessOptions {
  /** Column types of the input rows, in order. */
  schema: Record<string, ColumnType>;
  /** Operators as written in a job file, e.g. `[{ withWatermark: { column: 'eventTime', delay: '10 seconds' } }]`. */
  operators: unknown[];
  outputMode?: OutputMode;
  trigger?: Trigger;
  /** How one added value becomes a row (default: `{ value }`, Spark's MemoryStream[Int]). */
  toRow?: (value: never) => Row;
  name?: string;
  /** A hand-written operator run before the job's operators (e.g. one that fails once, Spark's "midbatch failure"). */
  before?: BatchOperator;
  /** One run after them (e.g. a stateful hook whose commit fails once). */
  after?: BatchOperator;
  /** The query's clock (batch timestamps come from it). */
  scheduler?: SchedulerLike;
}

/** Builds the job through loadJob + buildJob from a temporary job file, then swaps in the MemoryStream and the RecordingSink. */
export function buildTestJob(dir: string, options: HarnessOptions): BuiltJob {
  mkdirSync(join(dir, 'jobs'), { recursive: true });
  mkdirSync(join(dir, 'input'), { recursive: true });
  const job = {
    name: options.name ?? 'test',
    source: { type: 'file', path: join(dir, 'input'), schema: options.schema },
    operators: options.operators,
    sink: { type: 'console' },
    outputMode: options.outputMode ?? 'append',
    checkpointLocation: join(dir, 'checkpoint'),
  };
  const file = join(dir, 'jobs', 'test.yaml');
  writeFileSync(file, stringify(job));
  return buildJob(loadJob(file, { cwd: dir, env: {} }));
}

export class StreamHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'streamlab-stream-'));
  readonly input: MemoryStream;
  readonly sink = new RecordingSink();
  readonly built: BuiltJob;
  readonly progress: QueryProgress[] = [];
  query: StreamingQuery | undefined;
  private running: Promise<void> | undefined;
  private failure: unknown;
  private answered = 0;
  private progressChecked = 0;
  private readonly toRow: (value: never) => Row;

  constructor(readonly options: HarnessOptions) {
    this.built = buildTestJob(this.dir, options);
    this.input = new MemoryStream(this.built.query.source.schema);
    this.toRow = options.toRow ?? ((value: Value) => ({ value }) as Row);
  }

  get definition(): QueryDefinition {
    const { before, after } = this.options;
    const operators = [...(before ? [before] : []), ...this.built.query.operators, ...(after ? [after] : [])];
    return { ...this.built.query, operators, source: this.input, sink: this.sink, trigger: this.options.trigger ?? { kind: 'default' } };
  }

  /** Spark's StartStream: a new StreamingQuery on the same checkpoint (its state is restored from there). */
  start(): this {
    this.query = new StreamingQuery(this.definition, { pollMs: 1, scheduler: this.options.scheduler });
    this.query.progress$.subscribe((p) => this.progress.push(p));
    this.failure = undefined;
    this.running = this.query.run().catch((error) => {
      this.failure = error;
    });
    return this;
  }

  /** Spark's StopStream: finishes the batch in flight and waits for the query to end. */
  async stop(): Promise<void> {
    this.query?.stop();
    await this.running;
    this.rethrow();
  }

  /** Waits until the query ends by itself (availableNow: once what was there at its start is processed). */
  async awaitTermination(): Promise<void> {
    await this.running;
    this.rethrow();
  }

  /** Spark's AddData + processAllAvailable: one new offset with these rows, then wait until all is processed. */
  async addData(...values: unknown[]): Promise<void> {
    this.input.addRows(values.map((v) => this.toRow(v as never)));
    await this.processAllAvailable();
  }

  async processAllAvailable(): Promise<void> {
    try {
      await this.query!.processAllAvailable();
    } catch (error) {
      await this.running; // let the query finish closing before the test goes on
      this.failure = undefined;
      throw error;
    }
  }

  /** Spark's CheckNewAnswer: the rows written since the last check, across all batches (no-data batches too). */
  newAnswer<T>(project: (row: Row) => T): T[] {
    const rows = this.sink.batches.slice(this.answered).flatMap((b) => b.rows);
    this.answered = this.sink.batches.length;
    return rows.map(project);
  }

  /** Spark's CheckLastBatch: the rows of the latest batch. */
  lastBatch<T>(project: (row: Row) => T): T[] {
    this.answered = this.sink.batches.length;
    return (this.sink.batches.at(-1)?.rows ?? []).map(project);
  }

  /** Progress objects since the last call (Spark's StateStoreMetricsTest looks at those). */
  newProgress(): QueryProgress[] {
    const fresh = this.progress.slice(this.progressChecked);
    this.progressChecked = this.progress.length;
    return fresh;
  }

  /** Spark's assertNumStateRows: total from the latest progress, updated summed over the batches since the last check. */
  stateRows(operator = 0): { total: number; updated: number; dropped: number } {
    const fresh = this.newProgress();
    const last = this.progress.at(-1)!.stateOperators[operator];
    const withData = fresh.filter((p) => p.numInputRows > 0).at(-1) ?? this.progress.at(-1)!;
    return {
      total: last.numRowsTotal,
      updated: fresh.reduce((sum, p) => sum + p.stateOperators[operator].numRowsUpdated, 0),
      dropped: withData.stateOperators[operator].numRowsDroppedByWatermark,
    };
  }

  /** Spark's assertEventStats: eventTime of the latest batch that had rows. */
  eventStats(): QueryProgress['eventTime'] {
    return this.progress.filter((p) => p.numInputRows > 0).at(-1)?.eventTime;
  }

  async close(): Promise<void> {
    if (this.query) {
      this.query.stop();
      await this.running;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private rethrow(): void {
    if (this.failure !== undefined) {
      const error = this.failure;
      this.failure = undefined;
      throw error;
    }
  }
}

/** Epoch seconds of a timestamp, or of a window's start / end (Spark's `window.start.cast("long")`). */
export const seconds = (value: Value): number => (value as Date).getTime() / 1000;
export const windowStart = (row: Row, column = 'window'): number => seconds((row[column] as { start: Date }).start);
export const windowEnd = (row: Row, column = 'window'): number => seconds((row[column] as { end: Date }).end);

/** The operators of Spark's usual test query: eventTime = timestamp_seconds(value), watermark, 5-second windows. */
export function windowedCount(delay = '10 seconds', size = '5 seconds'): unknown[] {
  return [
    { withColumn: { name: 'eventTime', expr: 'timestamp_millis(value * 1000)' } },
    { withWatermark: { column: 'eventTime', delay } },
    { window: { column: 'eventTime', size } },
    { groupBy: { keys: ['window'], agg: { count: 'count()' } } },
  ];
}
