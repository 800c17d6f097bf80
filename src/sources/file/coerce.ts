import type { Value } from '../../core/row.js';
import type { ColumnType } from '../../core/schema.js';

/**
 * Converts a value read from a file to its schema type, or explains why it cannot. Empty CSV fields and JSON nulls
 * are null. Timestamps accept ISO 8601 text or epoch milliseconds.
 */
export function coerce(raw: unknown, type: ColumnType): { value: Value } | { error: string } {
  if (raw === null || raw === undefined || raw === '') return { value: null };
  switch (type) {
    case 'string':
      return typeof raw === 'object' ? { value: JSON.stringify(raw) } : { value: String(raw) };
    case 'long': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
      return Number.isSafeInteger(n) ? { value: n } : { error: 'expected a whole number (long)' };
    }
    case 'double': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return Number.isNaN(n) ? { error: 'expected a number (double)' } : { value: n };
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return { value: raw.trim().toLowerCase() === 'true' };
      return { error: 'expected true or false' };
    case 'timestamp': {
      const ms = typeof raw === 'number' ? raw : typeof raw === 'string' ? Date.parse(raw) : NaN;
      return Number.isNaN(ms) ? { error: 'expected an ISO 8601 time or epoch milliseconds' } : { value: new Date(ms) };
    }
    case 'array':
      return Array.isArray(raw) ? { value: raw as Value } : { error: 'expected an array' };
    case 'struct':
      return typeof raw === 'object' && !Array.isArray(raw) ? { value: raw as Value } : { error: 'expected an object' };
    case 'any':
      return { value: raw as Value };
  }
}
