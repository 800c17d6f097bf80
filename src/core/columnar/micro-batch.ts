/**
 * Columnar micro-batches that every row-based operator and sink still reads as rows.
 *
 * A columnar MicroBatch carries its ColumnBatch in a non-enumerable `columns` property and `rows` as an enumerable
 * getter that materialises the rows on first use. So an operator written for rows (`{ ...batch, rows: f(batch.rows) }`)
 * reads real rows, and its spread copy drops the columns (non-enumerable): the columns never go stale behind a row
 * operator's back. Columnar operators read `columnsOf(batch)` and build their output with `columnarBatch`.
 */
import { map } from 'rxjs';
import type { BatchOperator, MicroBatch } from '../operator.js';
import type { Row } from '../row.js';
import type { ColumnBatch } from './column-batch.js';

/** A MicroBatch over `columns`, with the other fields of `meta` (its own `rows` and `columns`, if any, are not kept). */
export function columnarBatch(meta: Omit<MicroBatch, 'rows'> | MicroBatch, columns: ColumnBatch): MicroBatch {
  const batch = fieldsOf(meta);
  Object.defineProperty(batch, 'columns', { value: columns, enumerable: false });
  Object.defineProperty(batch, 'rows', { get: () => columns.rows(), enumerable: true, configurable: true });
  return batch;
}

/** A row batch with the other fields of `meta`, without reading meta's rows (a columnar batch would build them). */
export function rowBatch(meta: Omit<MicroBatch, 'rows'> | MicroBatch, rows: Row[]): MicroBatch {
  const batch = fieldsOf(meta);
  batch.rows = rows;
  return batch;
}

/** meta's enumerable fields but `rows`: reading `rows` would materialise a columnar input's rows for nothing. */
function fieldsOf(meta: Omit<MicroBatch, 'rows'> | MicroBatch): MicroBatch {
  const batch = {} as MicroBatch;
  for (const key of Object.keys(meta) as Array<keyof MicroBatch>) {
    if (key !== 'rows') Object.defineProperty(batch, key, { value: meta[key], enumerable: true, writable: true, configurable: true });
  }
  return batch;
}

/** The batch's columns, when it has them (a source that produces columns, and columnar operators after it). */
export function columnsOf(batch: MicroBatch): ColumnBatch | undefined {
  return (batch as { columns?: ColumnBatch }).columns;
}

/** Rows in the batch, without materialising them. */
export function batchLength(batch: MicroBatch): number {
  return columnsOf(batch)?.length ?? batch.rows.length;
}

/**
 * A stateless operator with a columnar path and a row path: columns in, columns out; rows in, rows out. Both paths
 * must give the same rows (the tests check each operator both ways).
 */
export function mapBatch(
  onRows: (rows: Row[], batch: MicroBatch) => Row[],
  onColumns: (columns: ColumnBatch, batch: MicroBatch) => ColumnBatch,
): BatchOperator {
  return map((batch) => {
    const columns = columnsOf(batch);
    if (columns) return columnarBatch(batch, onColumns(columns, batch));
    return { ...batch, rows: onRows(batch.rows, batch) };
  });
}
