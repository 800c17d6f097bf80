// Placeholder: the expression language is being written (see the expression helper's brief).
import type { Row, Value } from '../row.js';
import type { ColumnType } from '../schema.js';

export interface CompiledExpression {
  /** The expression text as written. */
  source: string;
  /** Evaluates against one row. Pure: no globals, no prototypes, no I/O. */
  evaluate(row: Row): Value;
  /** The inferred result type (`any` when it cannot be known before run time). */
  type: ColumnType;
  /** Column names the expression reads. */
  columns: string[];
}
