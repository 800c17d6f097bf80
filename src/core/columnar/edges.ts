/** Where columns meet the engine: reading a batch from a source and handing one to a sink, columns when both can. */
import type { MicroBatch } from '../operator.js';
import type { Offset, Row } from '../row.js';
import type { Sink } from '../sink.js';
import type { Source } from '../source.js';
import type { ColumnBatch } from './column-batch.js';
import { columnarBatch, columnsOf } from './micro-batch.js';

/** The source's rows in (start, end], as columns when it can produce them. */
export function readBatch(source: Source, start: Offset | null, end: Offset): Promise<Row[] | ColumnBatch> | Row[] | ColumnBatch {
  return source.getColumns ? source.getColumns(start, end) : source.getBatch(start, end);
}

/** A MicroBatch over what readBatch gave. */
export function toMicroBatch(meta: Omit<MicroBatch, 'rows'>, input: Row[] | ColumnBatch): MicroBatch {
  return Array.isArray(input) ? { ...meta, rows: input } : columnarBatch(meta, input);
}

/** Hands the batch to the sink: its columns when the sink takes columns and the batch has them, else its rows. */
export function writeBatch(sink: Sink, batch: MicroBatch, batchId: number): Promise<void> {
  const columns = columnsOf(batch);
  return columns && sink.foreachColumns ? sink.foreachColumns(columns, batchId) : sink.foreachBatch(batch.rows, batchId);
}
