import type { Row, Value } from '../row.js';
import { valueAt, type Vector } from './vector.js';

/**
 * A batch as columns: named vectors of one physical length (`capacity`) and, after a filter, a selection vector
 * (the positions of the rows still in the batch, ascending). Operators never copy a vector they do not change:
 * withColumn adds one, select/drop pick some, filter only narrows the selection. A vector an operator computes has
 * the full capacity but holds values only at the selected positions.
 *
 * Rows are materialised only when a consumer asks for them (`rows()`, once, cached), with the columns in order, so
 * every row-based operator and sink sees exactly the rows the row pipeline would have built.
 */
export class ColumnBatch {
  private materialised: Row[] | undefined;

  constructor(
    readonly names: readonly string[],
    readonly vectors: readonly Vector[],
    readonly capacity: number,
    /** Positions of the rows, ascending; absent: every position from 0 to capacity - 1. */
    readonly selection?: Int32Array,
  ) {}

  /** Number of rows. */
  get length(): number {
    return this.selection ? this.selection.length : this.capacity;
  }

  /** Physical position of row k. */
  position(k: number): number {
    return this.selection ? this.selection[k] : k;
  }

  vector(name: string): Vector | undefined {
    const index = this.names.indexOf(name);
    return index < 0 ? undefined : this.vectors[index];
  }

  /** Spark's withColumn: replaces the column of that name in place, or appends it. The other vectors are shared. */
  withVector(name: string, vector: Vector): ColumnBatch {
    const index = this.names.indexOf(name);
    const names = index < 0 ? [...this.names, name] : this.names;
    const vectors = [...this.vectors];
    vectors[index < 0 ? vectors.length : index] = vector;
    return new ColumnBatch(names, vectors, this.capacity, this.selection);
  }

  /** The named columns (which must exist), in that order; the vectors are shared. */
  pick(names: readonly string[]): ColumnBatch {
    return this.with(
      names,
      names.map((n) => this.vector(n)!),
    );
  }

  /** Other columns over the same rows (select's computed columns). */
  with(names: readonly string[], vectors: readonly Vector[]): ColumnBatch {
    return new ColumnBatch(names, vectors, this.capacity, this.selection);
  }

  /** The same columns narrowed to `selection` (positions, a subset of this batch's, ascending). */
  select(selection: Int32Array): ColumnBatch {
    return new ColumnBatch(this.names, this.vectors, this.capacity, selection);
  }

  /** The rows, built once: plain objects with the columns in order (timestamps as Dates). */
  rows(): Row[] {
    if (this.materialised) return this.materialised;
    const n = this.length;
    const width = this.names.length;
    const rows: Row[] = new Array(n);
    const previous: Value[] = new Array(width).fill(null);
    for (let k = 0; k < n; k++) {
      const i = this.position(k);
      const row: Row = {};
      for (let c = 0; c < width; c++) {
        const value: Value = valueAt(this.vectors[c], i, previous[c]);
        previous[c] = value;
        const name = this.names[c];
        // `__proto__` is a column name like any other: defined, not assigned (which would set the prototype).
        if (name === '__proto__') Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
        else row[name] = value;
      }
      rows[k] = row;
    }
    this.materialised = rows;
    return rows;
  }
}
