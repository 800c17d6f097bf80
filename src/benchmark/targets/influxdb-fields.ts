import type { Column } from '../../core/schema.js';
import type { DestinationSpec } from '../target.js';

/** Column types a field can hold: the sink writes double as float, long as integer, boolean, string. */
const FIELD_TYPES = new Set(['double', 'long', 'boolean', 'string']);

/**
 * The columns written as fields, by the sink (its `fields` option) and by the baseline alike: every column that is
 * neither a key (tag) nor the time column, of a type a field can hold (timestamps, arrays and structs are left out).
 */
export function influxFields(spec: DestinationSpec): Column[] {
  const keys = new Set(spec.keyColumns);
  return spec.schema.filter((c) => !keys.has(c.name) && c.name !== spec.timeColumn && FIELD_TYPES.has(c.type));
}
