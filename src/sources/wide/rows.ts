/**
 * The rows of the `wide` source: 50 columns of every scalar type, each value a pure function of the row's offset.
 * Row i is device i % scale at tick floor(i / scale) (the tsbs-cpu layout, so that (device, timestamp) is a key as
 * (hostname, timestamp) is there), with `id` = i. Strings come from a fixed pool built once (no string is built per
 * row); some columns take few distinct values, some many, as real tables do. No value is null.
 */
import { hash3, pick3, unit3 } from '../../core/hash.js';
import type { Row } from '../../core/row.js';
import type { ColumnType, Schema } from '../../core/schema.js';

export interface WideConfig {
  /** Devices (rows per tick). */
  scale: number;
  intervalMs: number;
  startMs: number;
}

/** 4096 strings of 1..40 characters, the same in every run. */
const STRING_POOL: readonly string[] = Array.from({ length: 4096 }, (_, n) => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 _-.ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const length = 1 + pick3(40, n, 0x5f, 0);
  let text = '';
  for (let c = 0; c < length; c++) text += alphabet[pick3(alphabet.length, n, 0x5f, c + 1)];
  return text;
});

/** Salts per kind of column: column k of a kind hashes (id, salt, k). */
const LONG_SALT = 0x1001;
const DOUBLE_SALT = 0x1002;
const STRING_SALT = 0x1003;
const BOOL_SALT = 0x1004;
const TS_SALT = 0x1005;

/** long_k (k >= 1) by k % 4: small counters, signed millions, 31-bit, 41-bit signed (still exact as doubles). */
const LONG_LOW = [0, -1_000_000, 0, -(2 ** 40)];
const LONG_SPAN = [100, 2_000_001, 2 ** 31, 2 ** 41];
const long = (id: number, k: number) => LONG_LOW[k % 4] + Math.floor(unit3(id, LONG_SALT, k) * LONG_SPAN[k % 4]);

/** double_k by k % 3: money-like (2 decimals, 0..10,000), large signed, tiny. */
function double(id: number, k: number): number {
  const u = unit3(id, DOUBLE_SALT, k);
  const kind = k % 3;
  return kind === 0 ? Math.round(u * 1e6) / 100 : kind === 1 ? (u - 0.5) * 2e9 : u * 1e-3;
}

/** string_k by k % 3: 4 distinct values (an enum), 64 (a category), 4096 (free text). */
const STRING_CARDINALITY = [4, 64, 4096];
const string = (id: number, k: number) => STRING_POOL[pick3(STRING_CARDINALITY[k % 3], id, STRING_SALT, k)];

const bool = (id: number, k: number) => (hash3(id, BOOL_SALT, k) & 1) === 1;

/** ts_k: within a day before or after the row's own time, to the millisecond. */
const DAY_MS = 86_400_000;
const ts = (id: number, timeMs: number, k: number) => new Date(timeMs - DAY_MS + pick3(2 * DAY_MS, id, TS_SALT, k));

/**
 * One row as an object literal: one hidden class for all rows and monomorphic calls, which V8 inlines. (Built key by
 * key from `{}` a 50-key row falls into V8's slow dictionary mode: measured 4x slower to build, slower to read.)
 */
function wideRow(id: number, timeMs: number, device: string): Row {
  return {
    id,
    timestamp: new Date(timeMs),
    device,
    long_00: 1 + pick3(1_000_000, id, LONG_SALT, 0),
    long_01: long(id, 1),
    long_02: long(id, 2),
    long_03: long(id, 3),
    long_04: long(id, 4),
    long_05: long(id, 5),
    long_06: long(id, 6),
    long_07: long(id, 7),
    long_08: long(id, 8),
    long_09: long(id, 9),
    long_10: long(id, 10),
    long_11: long(id, 11),
    double_00: double(id, 0),
    double_01: double(id, 1),
    double_02: double(id, 2),
    double_03: double(id, 3),
    double_04: double(id, 4),
    double_05: double(id, 5),
    double_06: double(id, 6),
    double_07: double(id, 7),
    double_08: double(id, 8),
    double_09: double(id, 9),
    double_10: double(id, 10),
    double_11: double(id, 11),
    string_00: string(id, 0),
    string_01: string(id, 1),
    string_02: string(id, 2),
    string_03: string(id, 3),
    string_04: string(id, 4),
    string_05: string(id, 5),
    string_06: string(id, 6),
    string_07: string(id, 7),
    string_08: string(id, 8),
    string_09: string(id, 9),
    string_10: string(id, 10),
    bool_00: bool(id, 0),
    bool_01: bool(id, 1),
    bool_02: bool(id, 2),
    bool_03: bool(id, 3),
    bool_04: bool(id, 4),
    bool_05: bool(id, 5),
    ts_00: ts(id, timeMs, 0),
    ts_01: ts(id, timeMs, 1),
    ts_02: ts(id, timeMs, 2),
    ts_03: ts(id, timeMs, 3),
    ts_04: ts(id, timeMs, 4),
    ts_05: ts(id, timeMs, 5),
  };
}

const TYPE_BY_PREFIX: Array<[prefix: string, type: ColumnType]> = [
  ['long_', 'long'],
  ['double_', 'double'],
  ['string_', 'string'],
  ['bool_', 'boolean'],
  ['ts_', 'timestamp'],
];
const FIXED_TYPES: Record<string, ColumnType> = { id: 'long', timestamp: 'timestamp', device: 'string' };

/** The columns in row order, typed by their name. */
export const WIDE_SCHEMA: Schema = Object.keys(wideRow(0, 0, 'device_0')).map((name) => ({
  name,
  type: FIXED_TYPES[name] ?? TYPE_BY_PREFIX.find(([prefix]) => name.startsWith(prefix))![1],
}));

/** The row generator of one configuration. */
export function wideRows(config: WideConfig): (from: number, to: number) => Row[] {
  const { scale, intervalMs, startMs } = config;
  const devices: string[] = [];
  return (from, to) => {
    const rows: Row[] = new Array(to - from);
    for (let id = from; id < to; id++) {
      const tick = Math.floor(id / scale);
      const device = id - tick * scale;
      rows[id - from] = wideRow(id, startMs + tick * intervalMs, devices[device] ?? (devices[device] = `device_${device}`));
    }
    return rows;
  };
}
