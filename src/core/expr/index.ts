/**
 * The expression language of job files (`filter: "value % 2 == 0"`, `withColumn`, `select`, `explode`): a small,
 * safe subset of Spark SQL expressions, compiled once per job into closures and evaluated per row.
 * docs/expressions.md is the user's reference; this is the summary.
 *
 * Literals: `42` (long), `2.5`, `1e3`, `.5` (double), `'text'` or `"text"` with backslash escapes (`\n \t \r \b \0
 * \\ \' \" \uXXXX`; `\x` is `x`), `true`, `false`, `null`. Keywords and function names are case-insensitive.
 * Columns: `value`, or `` `odd name` `` in backticks (`` `` `` is a backtick). Column names are case-sensitive
 * and read from the row's own properties only. Struct fields: `a.b.c` (null when absent).
 *
 * Operators, loosest first (Spark SQL's precedence):
 *   1 `or` `||`    2 `and` `&&`    3 `not` `!` (prefix: `not a = b` is `not (a = b)`)
 *   4 `==` `=` `!=` `<>` `<` `<=` `>` `>=` `<=>`, `x [not] in (a, b, ...)`, `x is [not] null`
 *   5 `+` `-`      6 `*` `/` `%`    7 unary `-` `+`    then `.field` and calls `f(a, b)`; parentheses group.
 * Binary operators are left-associative. Note `||` is `or` here, not Spark's string concatenation: use `concat`.
 *
 * Semantics (Spark SQL's): any arithmetic or comparison with null is null; `and` / `or` are three-valued
 * (`false and null` is false, `true or null` is true); callers treat a null filter as false. `/` is floating
 * division; `/` and `%` by zero are null; `%` takes the sign of the dividend (`-7 % 3` is -1, as in Java and JS;
 * `pmod(-7, 3)` is 2). Integer arithmetic on longs stays long (JS numbers: exact up to 2^53). `+` does not join
 * strings (a compile error: use `concat`). NaN equals NaN and sorts above every number. `<=>` is null-safe
 * equality. Values of different kinds are never equal; a value of the wrong kind at run time (an `any` column)
 * gives null.
 *
 * Errors: `ExpressionError` with `message` (without the position), `position` (0-based character index into the
 * source) and `length`, for unexpected tokens, unterminated strings, unknown columns (listing the columns),
 * unknown functions (with near matches), wrong arity and type errors certain at compile time.
 *
 * The function table (`FUNCTIONS`, in functions.ts) is data: name, signature, arity, description, example.
 */
import type { Row, Value } from '../row.js';
import type { ColumnType, Schema } from '../schema.js';
import { compile } from './compile.js';
import { parse } from './parser.js';
import { compileVector, type VectorEvaluator } from './vector.js';

export { ExpressionError } from './errors.js';
export { FUNCTIONS, type FunctionSpec } from './functions.js';
export { parse as parseExpression, type Node as ExpressionNode } from './parser.js';
export type { VectorEvaluator } from './vector.js';

export interface CompiledExpression {
  /** The expression text as written. */
  source: string;
  /** Evaluates against one row. Pure: no globals, no prototypes, no I/O. */
  evaluate(row: Row): Value;
  /** The inferred result type (`any` when it cannot be known before run time). */
  type: ColumnType;
  /** For an array: the type of its elements when known (`split` gives strings), else undefined. */
  elementType?: ColumnType;
  /** Column names the expression reads. */
  columns: string[];
  /**
   * The same expression over a columnar batch, one loop per node (vector.ts), when every part of it has a vectorized
   * form; it may still give undefined for a batch whose columns are not the vectors it expects. Then, and when it is
   * absent, `evaluate` runs per row (src/core/columnar/evaluate.ts).
   */
  vector?: VectorEvaluator;
}

/** Parses, type-checks and compiles `source` against `schema`. Throws `ExpressionError`. */
export function compileExpression(source: string, schema: Schema): CompiledExpression {
  const ast = parse(source);
  const { evaluate, type, elementType, columns } = compile(ast, schema);
  const vector = compileVector(ast, schema);
  return { source, evaluate, type: type === 'null' ? 'any' : type, elementType, columns, ...(vector ? { vector } : {}) };
}
