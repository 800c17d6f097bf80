import { z } from 'zod';
import type { OperatorDefinition, SinkDefinition, SourceDefinition } from '../component/definition.js';
import type { BatchOperator } from '../core/operator.js';
import type { Row } from '../core/row.js';
import type { Schema } from '../core/schema.js';
import type { Sink } from '../core/sink.js';
import type { Source } from '../core/source.js';
import type { ColumnBatch } from '../core/columnar/column-batch.js';
import { columnsFromRows, conformColumns } from './columns.js';

/**
 * What a TypeScript job defines in code (a foreachBatch function, a Sink or Source object, a hand-written RxJS
 * operator) becomes a component of that job alone, with no options, so that it is built by the same builder as the
 * registered ones: it gets a plan step, is checked in its place (a sink after its input columns and output mode),
 * and shows in `explain`.
 */
const noOptions = z.strictObject({});

export function codeSource(source: Source, type = 'code-source'): SourceDefinition {
  return { kind: 'source', type, summary: source.description, options: noOptions, examples: [{}], create: () => source };
}

export function codeSink(sink: Sink, type = 'code-sink'): SinkDefinition {
  return { kind: 'sink', type, summary: sink.description, options: noOptions, examples: [{}], create: () => sink };
}

/** Spark's foreachBatch: `handler` gets each batch's rows and id; it must survive a replayed id (exactly-once). */
export function foreachBatchSink<T>(handler: (rows: T[], batchId: number) => Promise<void> | void): SinkDefinition {
  return codeSink(
    {
      description: 'ForeachBatchSink',
      open: async () => {},
      foreachBatch: async (rows: Row[], batchId: number) => handler(rows as T[], batchId),
      close: async () => {},
    },
    'foreachBatch',
  );
}

/**
 * foreachBatch with `{ columns: true }`: `handler` gets each batch as a ColumnBatch, whether the query produced
 * columns (foreachColumns: shared, only columns of another kind than their schema type converted) or rows
 * (foreachBatch: built from the rows, in the schema's column order). Same contract as foreachBatchSink.
 */
export function foreachColumnsSink(handler: (columns: ColumnBatch, batchId: number) => Promise<void> | void): SinkDefinition {
  return {
    kind: 'sink',
    type: 'foreachBatch',
    summary: 'ForeachBatchSink (columns)',
    options: noOptions,
    examples: [{}],
    create: (_options, context) => ({
      description: 'ForeachBatchSink (columns)',
      open: async () => {},
      foreachBatch: async (rows: Row[], batchId: number) => handler(columnsFromRows(rows, context.input), batchId),
      foreachColumns: async (columns: ColumnBatch, batchId: number) => handler(conformColumns(columns, context.input), batchId),
      close: async () => {},
    }),
  };
}

/** A hand-written operator over batches; `schema` is its output's columns (default: its input's). */
export function codeOperator(type: string, operator: BatchOperator, description: string, schema?: Schema): OperatorDefinition {
  return {
    kind: 'operator',
    type,
    summary: description,
    options: noOptions,
    examples: [{}],
    create: (_options, context) => ({ operator, schema: schema ?? context.input, description }),
  };
}
