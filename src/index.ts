/**
 * streamlab's programmatic API, for jobs written in TypeScript (docs/typescript.md):
 *
 *   import { count, readStream, sinks, sources, window } from 'streamlab';
 *   readStream(sources.file({ path: 'data/late-data', schema: { timestamp: 'timestamp', word: 'string' } }))
 *     .withWatermark('timestamp', '10 minutes')
 *     .groupBy(window('timestamp', '10 minutes', '5 minutes'), 'word')
 *     .agg({ count: count() })
 *     .writeStream({ checkpointLocation: '.checkpoints/late', outputMode: 'update' })
 *     .to(sinks.console());
 *
 * `sources` and `sinks` hold one factory per registered component (src/registry.ts), typed from its options.
 */
import { sources } from './api/factories.js';

export { sources, sinks, type SourceSpec, type SinkSpec, type SourceFactories, type SinkFactories } from './api/factories.js';
export { readStream, DataStream, GroupedStream, type OperatorType, type OperatorOptions } from './api/stream.js';
export { StreamWriter, type RunningQuery, type WriteStreamOptions, type TriggerOption } from './api/writer.js';
export { count, sum, avg, min, max, approxCountDistinct, window, sessionWindow, type Aggregate, type WindowKey } from './api/functions.js';
export type { ColumnTypeName, RowOfColumns, WindowValue } from './api/rows.js';
export type {
  Columns,
  VectorOf,
  NumberVector,
  TimestampVector,
  BooleanVector,
  WindowVector,
  DictionaryVector,
  ValuesVector,
} from './api/columns.js';
export { ColumnBatch } from './core/columnar/column-batch.js';
export { isValid, valueAt, type Vector } from './core/columnar/vector.js';
/** The sources the first version of this API exported by name (`sources.<type>` has them all). */
export const { rate, rateMicroBatch, sine, system, socket, file } = sources;
export { StreamingQuery, type QueryDefinition, type RunOptions } from './core/query.js';
export type { QueryProgress } from './core/progress.js';
export type { Row, Value, Offset } from './core/row.js';
export type { Schema, Column, ColumnType } from './core/schema.js';
export type { Sink, SinkContext, OutputMode } from './core/sink.js';
export type { Source, SourceContext } from './core/source.js';
export type { BatchOperator, MicroBatch } from './core/operator.js';
export type { Trigger } from './core/trigger.js';
export type { BuiltJob } from './config/build-job.js';
export { ConfigError } from './core/errors.js';
export { memoryTable } from './sinks/memory/index.js';
export * as registry from './registry.js';
