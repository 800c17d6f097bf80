import type { Value } from '../../core/row.js';
import { isWindow } from '../event-time.js';

/** The key column whose time finishes a group: a window (its end) or the event-time column itself. */
export interface EvictionKey {
  index: number;
  column: string;
  kind: 'window' | 'timestamp';
}

/** Window end or event time in ms; undefined for null (a null key never finishes, as in Spark). */
export function deadlineOf(value: Value, kind: EvictionKey['kind']): number | undefined {
  if (kind === 'window') return isWindow(value) ? value.end.getTime() : undefined;
  return value instanceof Date ? value.getTime() : undefined;
}
