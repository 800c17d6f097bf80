import type { OperatorContext } from '../component/definition.js';
import { ConfigError } from '../core/errors.js';
import { columnNames, findColumn, type Column } from '../core/schema.js';

/**
 * Shared by the event-time operators (withWatermark, window, sessionWindow, groupBy, dropDuplicates): checking
 * columns at build time, and the window arithmetic.
 */

/** A column that must exist; the message lists the columns there are. */
export function requireColumn(name: string, context: OperatorContext, optionPath: string): Column {
  const column = findColumn(context.input, name);
  if (!column) {
    throw ConfigError.single({
      file: context.location.file,
      path: `${context.location.path}.${optionPath}`,
      message: `unknown column '${name}' (columns: ${columnNames(context.input).join(', ')})`,
    });
  }
  return column;
}

/** A column holding event time: a timestamp (or `any`, checked per row). Spark's "error on wrong type". */
export function eventTimeColumn(name: string, context: OperatorContext, optionPath: string): Column {
  const column = requireColumn(name, context, optionPath);
  if (column.type !== 'timestamp' && column.type !== 'any') {
    throw ConfigError.single({
      file: context.location.file,
      path: `${context.location.path}.${optionPath}`,
      message:
        `event time column '${name}' is ${column.type}, not a timestamp. Convert it first, e.g. ` +
        `\`withColumn: { name: ${name}, expr: "timestamp_millis(${name} * 1000)" }\` for epoch seconds`,
    });
  }
  return column;
}

export { isWindow, WINDOW_KEY, windowValue, type WindowValue } from '../core/window-value.js';

/**
 * Start times of the windows holding event time `t`, oldest first: windows start at `startTimeMs` plus multiples of
 * `slideMs` from the epoch (Spark's alignment) and hold [start, start + sizeMs). A tumbling window is slide = size.
 */
export function windowStarts(t: number, sizeMs: number, slideMs: number, startTimeMs = 0): number[] {
  const lastStart = t - ((((t - startTimeMs) % slideMs) + slideMs) % slideMs);
  const starts: number[] = [];
  for (let start = lastStart - Math.ceil(sizeMs / slideMs) * slideMs + slideMs; start <= lastStart; start += slideMs) {
    if (t < start + sizeMs) starts.push(start);
  }
  return starts;
}
