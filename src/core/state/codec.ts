import type { Value } from '../row.js';

/**
 * What a state store holds per key: row values, plus the byte arrays of sketches (approxCountDistinct). JSON has no
 * timestamp or byte type, so state files tag them: `{"$d": <epoch ms>}` for a Date, `{"$u8": "<base64>"}` for a
 * Uint8Array, `{"$b": "<digits>"}` for a bigint. A plain object that happens to have one of those keys is escaped as
 * `{"$o": {...}}`, so every value reads back exactly as it was written.
 */
export type StateValue = Value | Uint8Array | undefined | StateValue[] | { [key: string]: StateValue };

export function encodeState(value: StateValue): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return typeof value === 'bigint' ? { $b: value.toString() } : value;
  if (value instanceof Date) return { $d: value.getTime() };
  if (value instanceof Uint8Array) return { $u8: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (Array.isArray(value)) return value.map(encodeState);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = encodeState(v);
  const keys = Object.keys(out);
  return keys.length === 1 && TAGS.has(keys[0]) ? { $o: out } : out;
}

/**
 * `JSON.stringify(encodeState(value))`, written out directly: a delta file holds thousands of entries per batch,
 * and skipping the intermediate objects makes writing them several times faster.
 */
export function stringifyState(value: StateValue): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `{"$b":"${value}"}`;
    default: {
      if (value instanceof Date) {
        const t = value.getTime();
        return `{"$d":${Number.isNaN(t) ? 'null' : t}}`;
      }
      if (value instanceof Uint8Array)
        return `{"$u8":"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"}`;
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + stringifyState(value[i]);
        return `${out}]`;
      }
      const keys = Object.keys(value);
      let out = '{';
      for (let i = 0; i < keys.length; i++) out += `${i === 0 ? '' : ','}${JSON.stringify(keys[i])}:${stringifyState(value[keys[i]])}`;
      out += '}';
      return keys.length === 1 && TAGS.has(keys[0]) ? `{"$o":${out}}` : out;
    }
  }
}

export function decodeState(json: unknown): StateValue {
  if (json === null || typeof json !== 'object') return json as StateValue;
  if (Array.isArray(json)) return json.map(decodeState);
  const record = json as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1) {
    switch (keys[0]) {
      case '$d':
        return new Date(record.$d === null ? NaN : (record.$d as number));
      case '$u8':
        return new Uint8Array(Buffer.from(record.$u8 as string, 'base64'));
      case '$b':
        return BigInt(record.$b as string);
      case '$o':
        return decodeObject(record.$o as Record<string, unknown>);
    }
  }
  return decodeObject(record);
}

const TAGS = new Set(['$d', '$u8', '$b', '$o']);

function decodeObject(record: Record<string, unknown>): StateValue {
  const out: { [key: string]: StateValue } = {};
  for (const [k, v] of Object.entries(record)) out[k] = decodeState(v);
  return out;
}

/**
 * A rough size in bytes of a value held in memory, for `memoryUsedBytes` in progress: V8 does not say how big one
 * object is, so this counts what dominates (strings two bytes a character, numbers and pointers eight, a fixed
 * overhead per object). Good enough to see state grow with open windows and shrink when the watermark evicts them.
 */
export function estimateBytes(value: StateValue): number {
  if (value === null || value === undefined) return 8;
  switch (typeof value) {
    case 'string':
      return 16 + value.length * 2;
    case 'number':
    case 'boolean':
      return 8;
    case 'bigint':
      return 16;
    case 'object': {
      if (value instanceof Date) return 32;
      if (value instanceof Uint8Array) return 64 + value.byteLength;
      if (Array.isArray(value)) return value.reduce<number>((sum, v) => sum + 8 + estimateBytes(v), 32);
      let sum = 32;
      for (const [k, v] of Object.entries(value)) sum += 8 + k.length * 2 + estimateBytes(v);
      return sum;
    }
    default:
      return 8;
  }
}
