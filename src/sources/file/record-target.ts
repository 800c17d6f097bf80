import { type ColumnBuilder, columnBuilder, finishColumns } from '../../core/columnar/builder.js';
import type { ColumnBatch } from '../../core/columnar/column-batch.js';
import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';

/**
 * Where the file parser puts the records it reads: rows (getBatch) or columns (getColumns). The parser sets a record's
 * cells by column index (the schema's, then the corrupt-record column), then keeps or drops it; a cell not set is null.
 * Both targets get exactly the same calls, so the rows of the columns are the rows (test/sources/file-columns.test.ts).
 * Timestamps are set as epoch milliseconds.
 */
export interface RecordTarget {
  set(column: number, value: Value): void;
  keep(): void;
  drop(): void;
}

/** Rows as the file source always built them: every column, in schema order; timestamps as Dates. */
export class RowTarget implements RecordTarget {
  readonly rows: Row[] = [];
  private readonly cells: Value[];
  private readonly timestamp: boolean[];

  constructor(private readonly schema: Schema) {
    this.cells = new Array(schema.length).fill(null);
    this.timestamp = schema.map((c) => c.type === 'timestamp');
  }

  set(column: number, value: Value): void {
    this.cells[column] = this.timestamp[column] && typeof value === 'number' ? new Date(value) : value;
  }

  keep(): void {
    const row: Row = {};
    for (let c = 0; c < this.cells.length; c++) {
      row[this.schema[c].name] = this.cells[c];
      this.cells[c] = null;
    }
    this.rows.push(row);
  }

  drop(): void {
    this.cells.fill(null);
  }
}

/** Columns: one builder per schema column (core/columnar/builder.ts), strings dictionary-encoded while they repeat. */
export class ColumnTarget implements RecordTarget {
  private readonly builders: ColumnBuilder[];
  private readonly cells: Value[];
  private length = 0;

  constructor(private readonly schema: Schema) {
    this.builders = schema.map((c) => columnBuilder(c.type));
    this.cells = new Array(schema.length).fill(null);
  }

  set(column: number, value: Value): void {
    this.cells[column] = value;
  }

  keep(): void {
    for (let c = 0; c < this.cells.length; c++) {
      this.builders[c].push(this.cells[c]);
      this.cells[c] = null;
    }
    this.length++;
  }

  drop(): void {
    this.cells.fill(null);
  }

  finish(): ColumnBatch {
    return finishColumns(
      this.schema.map((c) => c.name),
      this.builders,
      this.length,
    );
  }
}
