/**
 * Spark's column functions for `groupBy(...).agg(...)`, as PySpark writes them:
 *
 *   stream.groupBy(window('timestamp', '10 minutes', '5 minutes'), 'word').agg({ count: count(), avg: avg('x') })
 *
 * Each gives the text a job file writes (`count()`, `avg(x)`) with the type of its result; the text is compiled and
 * checked against the columns when the query is built, like the YAML's.
 */

/** An aggregate: its text in a job file, and (as a type only) its result's type. */
export interface Aggregate<V> {
  readonly sql: string;
  readonly resultType?: V;
}

const aggregate = <V>(sql: string): Aggregate<V> => ({ sql });

/** Rows in the group (`count()`), or rows where `column` is not null. */
export const count = (column?: string): Aggregate<number> => aggregate(`count(${column ?? ''})`);
export const sum = (column: string): Aggregate<number | null> => aggregate(`sum(${column})`);
export const avg = (column: string): Aggregate<number | null> => aggregate(`avg(${column})`);
export const min = <V = number | null>(column: string): Aggregate<V> => aggregate(`min(${column})`);
export const max = <V = number | null>(column: string): Aggregate<V> => aggregate(`max(${column})`);
export const approxCountDistinct = (column: string): Aggregate<number> => aggregate(`approxCountDistinct(${column})`);

/** A time window as a grouping key (Spark: `window(timeColumn, windowDuration, slideDuration)`): adds the column `as`. */
export interface WindowKey<N extends string = string> {
  readonly kind: 'window' | 'sessionWindow';
  readonly options: Readonly<Record<string, unknown>>;
  readonly as: N;
}

/** Tumbling (no slide) or sliding windows over `column`, e.g. `window('timestamp', '10 minutes', '5 minutes')`. */
export function window(column: string, size: string, slide?: string, startTime?: string): WindowKey<'window'> {
  return { kind: 'window', options: { column, size, ...(slide ? { slide } : {}), ...(startTime ? { startTime } : {}) }, as: 'window' };
}

/** Session windows over `column` closed after `gap` without events (Spark: `session_window(timeColumn, gapDuration)`). */
export function sessionWindow(column: string, gap: string): WindowKey<'session_window'> {
  return { kind: 'sessionWindow', options: { column, gap }, as: 'session_window' };
}
