import { basename } from 'node:path';
import type { SinkDefinition } from '../component/definition.js';
import type { BadRecordPolicy } from '../core/bad-records.js';
import type { Logger } from '../core/logger.js';
import { StreamingQuery } from '../core/query.js';
import type { OutputMode, Sink } from '../core/sink.js';
import type { Trigger } from '../core/trigger.js';
import { formatExplain } from '../cli/explain.js';
import type { BuiltJob } from '../config/build-job.js';
import { buildJobValue } from '../config/build-value.js';
import { codeSink, foreachBatchSink, foreachColumnsSink } from './code-components.js';
import type { Columns } from './columns.js';
import type { SinkSpec } from './factories.js';
import type { StreamParts } from './stream.js';

/** A trigger as Spark writes it (`{ processingTime: '1 second' }`, `{ availableNow: true }`), or streamlab's Trigger. */
export type TriggerOption = { processingTime: string } | { availableNow: true } | Trigger;

export interface WriteStreamOptions {
  /** Directory of the offsets and commit logs (relative: to the working directory); default `.checkpoints/<queryName>`. */
  checkpointLocation?: string;
  /** Query name (progress, checkpoint ownership); default: the checkpoint folder's name, else `query`. */
  queryName?: string;
  trigger?: TriggerOption;
  outputMode?: OutputMode;
  maxRowsPerBatch?: number;
  /** Threads for stateless steps over big columnar batches (the job option `cores`; default the machine's, 1: none). */
  cores?: number;
  /** With a union of streams that each have a watermark: the query's is their `min` (default) or `max` (Spark's spark.sql.streaming.multipleWatermarkPolicy). */
  multipleWatermarkPolicy?: 'min' | 'max';
  /** What to do with a record that cannot be read or written (default `fail`). */
  onBadRecord?: BadRecordPolicy;
  deadLetterPath?: string;
  /** Stop after this many batches (default: run until stopped). */
  maxBatches?: number;
  logger?: Logger;
}

/** A started query: stop it, or wait for it to end. */
export interface RunningQuery {
  query: StreamingQuery;
  stop(): void;
  awaitTermination(): Promise<void>;
}

/**
 * `writeStream(...)`: where the rows go. The stream's parts, the sink and these options are written down as a job
 * value and built by the job-file builder (buildJobValue), so a TypeScript query passes exactly the checks a YAML
 * job passes; a problem is a ConfigError naming the part (`query 'demo' (TypeScript) operators[1].withWatermark`).
 */
export class StreamWriter<T extends object> {
  constructor(
    private readonly parts: StreamParts,
    private readonly options: WriteStreamOptions,
  ) {}

  /** Writes to a registered sink and starts the query: `.to(sinks.influxdb({ profile: 'influxdb', ... }))`. */
  to(sink: SinkSpec): RunningQuery {
    return this.run(this.build(sink));
  }

  /**
   * Calls `handler` with every batch and starts the query (Spark: writeStream.foreachBatch(f).start()): its rows, or
   * with `{ columns: true }` its columns (a typed ColumnBatch, see columns.ts), which skips building row objects when
   * the query produced columns.
   */
  foreachBatch(handler: (rows: T[], batchId: number) => Promise<void> | void, options?: { columns?: false }): RunningQuery;
  foreachBatch(handler: (columns: Columns<T>, batchId: number) => Promise<void> | void, options: { columns: true }): RunningQuery;
  foreachBatch(handler: (batch: never, batchId: number) => Promise<void> | void, options: { columns?: boolean } = {}): RunningQuery {
    const sink = options.columns
      ? foreachColumnsSink(handler as (columns: unknown, batchId: number) => void)
      : foreachBatchSink(handler as (rows: unknown[], batchId: number) => void);
    return this.run(this.buildWith(sink));
  }

  /** Writes to a Sink object of your own and starts the query. */
  start(sink: Sink): RunningQuery {
    return this.run(this.buildWith(codeSink(sink)));
  }

  /** Checks and builds the query without starting it (what `streamlab validate` does for a job file). */
  build(sink: SinkSpec): BuiltJob {
    return sink.code ? this.buildWith(sink.code) : this.buildValue({ type: sink.type, ...sink.options });
  }

  /** The query plan, as `streamlab explain` prints it for a job file. */
  explain(sink: SinkSpec): string {
    return formatExplain(this.build(sink));
  }

  /** The job value these parts stand for, as a job file would write it. */
  jobValue(sink: Record<string, unknown>): Record<string, unknown> {
    const o = this.options;
    const name = o.queryName ?? (o.checkpointLocation ? basename(o.checkpointLocation) : 'query');
    const { source, operators } = this.parts;
    const value: Record<string, unknown> = {
      name,
      source: { type: source.type, ...source.options },
      operators: operators.map((item) => ({ [item.type]: item.options })),
      sink,
      trigger: o.trigger && triggerValue(o.trigger),
      outputMode: o.outputMode,
      checkpointLocation: o.checkpointLocation,
      maxRowsPerBatch: o.maxRowsPerBatch,
      cores: o.cores,
      multipleWatermarkPolicy: o.multipleWatermarkPolicy,
      onBadRecord: o.onBadRecord,
      deadLetterPath: o.deadLetterPath,
    };
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
  }

  private buildWith(sink: SinkDefinition): BuiltJob {
    return this.buildValue({ type: sink.type }, [sink]);
  }

  private buildValue(sink: Record<string, unknown>, codeSinks: SinkDefinition[] = []): BuiltJob {
    const value = this.jobValue(sink);
    const code = { ...this.parts.code, sinks: codeSinks };
    return buildJobValue(value, `query '${value.name}' (TypeScript)`, { code });
  }

  private run(built: BuiltJob): RunningQuery {
    const query = new StreamingQuery(built.query, { maxBatches: this.options.maxBatches, logger: this.options.logger });
    const done = query.run();
    return { query, stop: () => query.stop(), awaitTermination: () => done };
  }
}

function triggerValue(trigger: TriggerOption): Record<string, unknown> | undefined {
  if (!('kind' in trigger)) return trigger;
  if (trigger.kind === 'processingTime') return { processingTime: `${trigger.intervalMs}ms` };
  if (trigger.kind === 'availableNow') return { availableNow: true };
  return undefined;
}
