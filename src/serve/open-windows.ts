import type { StatefulOperator } from '../core/operator.js';

/** One event-time window in the state: [start, end) in epoch ms. */
export type OpenWindow = [start: number, end: number];

/** Past this many state rows the windows are not listed: reading the state would cost the batch loop too much. */
const MAX_STATE_ROWS = 20_000;
const MAX_WINDOWS = 500;

/**
 * The event-time windows the stateful operators hold after a batch: those still open, waiting for the watermark to
 * pass their end (then append mode emits them and the state evicts them). Read from the operators' state rows (the
 * `window` column of a windowed groupBy, the session of a session window), for the UI's timeline; undefined when the
 * query has no windows in its state or the state is too big to list cheaply.
 */
export function openWindows(operators: readonly StatefulOperator[]): OpenWindow[] | undefined {
  const found = new Map<string, OpenWindow>();
  let windowed = false;
  for (const operator of operators) {
    if (operator.metrics().numRowsTotal > MAX_STATE_ROWS) return undefined;
    const { schema, rows } = operator.stateRows();
    const columns = schema.filter((c) => c.type === 'struct').map((c) => c.name);
    for (const row of rows) {
      for (const column of columns) {
        const value = row[column] as { start?: unknown; end?: unknown } | null;
        if (!(value?.start instanceof Date && value.end instanceof Date)) continue;
        windowed = true;
        const key = `${value.start.getTime()}-${value.end.getTime()}`;
        if (!found.has(key) && found.size < MAX_WINDOWS) found.set(key, [value.start.getTime(), value.end.getTime()]);
      }
    }
  }
  return windowed ? [...found.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]) : undefined;
}
