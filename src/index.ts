/**
 * streamlab's programmatic API, for jobs written in TypeScript:
 *
 *   import { readStream, rate } from 'streamlab';
 *   readStream(rate({ rowsPerSecond: 10 })).filter('value % 2 == 0').writeStream({ checkpointLocation: '.cp' })
 *     .foreachBatch((rows, batchId) => console.log(batchId, rows));
 */
import { createSource } from './api/build.js';
import { fileSource } from './sources/file/index.js';
import { rateMicroBatchSource } from './sources/rate-micro-batch.js';
import { rateSource } from './sources/rate.js';
import { sineSource } from './sources/sine.js';
import { socketSource } from './sources/socket/index.js';
import { systemSource } from './sources/system.js';

type OptionsOf<D extends { options: { _zod: { input: unknown } } }> = D['options']['_zod']['input'];

export const rate = (options: OptionsOf<typeof rateSource> = {}) => createSource(rateSource, options);
export const rateMicroBatch = (options: OptionsOf<typeof rateMicroBatchSource>) => createSource(rateMicroBatchSource, options);
export const sine = (options: OptionsOf<typeof sineSource> = {}) => createSource(sineSource, options);
export const system = (options: OptionsOf<typeof systemSource> = {}) => createSource(systemSource, options);
export const socket = (options: OptionsOf<typeof socketSource>) => createSource(socketSource, options);
export const file = (options: OptionsOf<typeof fileSource>) => createSource(fileSource, options);

export { readStream, DataStream, StreamWriter, type RunningQuery, type WriteStreamOptions } from './api/stream.js';
export { StreamingQuery, type QueryDefinition, type RunOptions } from './core/query.js';
export type { QueryProgress } from './core/progress.js';
export type { Row, Value, Offset } from './core/row.js';
export type { Schema, Column, ColumnType } from './core/schema.js';
export type { Sink, SinkContext, OutputMode } from './core/sink.js';
export type { Source, SourceContext } from './core/source.js';
export type { BatchOperator, MicroBatch } from './core/operator.js';
export type { Trigger } from './core/trigger.js';
export { memoryTable } from './sinks/memory/index.js';
export * as registry from './registry.js';
