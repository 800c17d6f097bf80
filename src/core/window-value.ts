import type { Value } from './row.js';

/** The `{ start, end }` struct of a window column (Spark's window struct). */
export interface WindowValue {
  start: Date;
  end: Date;
  [key: string]: Value;
}

/**
 * A window struct made by `window` carries its group-key encoding under this symbol (not enumerable: invisible to
 * JSON, state files and comparisons), so groupBy does not rebuild the same string for every row of the window.
 */
export const WINDOW_KEY: unique symbol = Symbol('windowKey');

/** A new window struct [startMs, endMs), with its group key cached. */
export function windowValue(startMs: number, endMs: number): WindowValue {
  const w: WindowValue = { start: new Date(startMs), end: new Date(endMs) };
  Object.defineProperty(w, WINDOW_KEY, { value: `w${startMs}:${endMs}` });
  return w;
}

export function isWindow(value: Value): value is WindowValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as WindowValue).start instanceof Date &&
    (value as WindowValue).end instanceof Date
  );
}
