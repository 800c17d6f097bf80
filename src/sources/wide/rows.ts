/**
 * The rows of the `wide` source: 50 columns of every scalar type, each value a pure function of the row's offset.
 * Row i is device i % scale at tick floor(i / scale) (the tsbs-cpu layout, so that (device, timestamp) is a key as
 * (hostname, timestamp) is there), with `id` = i. Strings come from a fixed pool built once (no string is built per
 * row); some columns take few distinct values, some many, as real tables do. No value is null.
 */
import { hash3, pick3, unit3 } from '../../core/hash.js';
import type { Row, Value } from '../../core/row.js';
import type { ColumnType, Schema } from '../../core/schema.js';

export interface WideConfig {
  /** Devices (rows per tick). */
  scale: number;
  intervalMs: number;
  startMs: number;
}

/** What a column's value is made from: the row's id, its tick's timestamp in ms, and the column's own hash salt. */
type ValueOf = (id: number, timeMs: number, salt: number) => Value;

interface WideColumn {
  name: string;
  type: ColumnType;
  value: ValueOf;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 4096 strings of 1..40 characters, the same in every run. */
const STRING_POOL: readonly string[] = Array.from({ length: 4096 }, (_, n) => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 _-.ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const length = 1 + pick3(40, n, 0x5f, 0);
  let text = '';
  for (let c = 0; c < length; c++) text += alphabet[pick3(alphabet.length, n, 0x5f, c + 1)];
  return text;
});

/** Longs of several ranges: small counters, signed, 32-bit-ish, and 41-bit ones (still exact as doubles). */
const LONG_RANGES: ReadonlyArray<[low: number, span: number]> = [
  [0, 100],
  [-1_000_000, 2_000_001],
  [0, 2 ** 31],
  [-(2 ** 40), 2 ** 41],
];
/** Doubles of several kinds: money-like (2 decimals), large signed, tiny. */
const DOUBLES: ReadonlyArray<(u: number) => number> = [(u) => Math.round(u * 1e6) / 100, (u) => (u - 0.5) * 2e9, (u) => u * 1e-3];
/** Distinct values per string column: an enum, a category, a free text. */
const STRING_CARDINALITY = [4, 64, 4096] as const;
/** Timestamp columns: within a day before or after the row's own time, to the millisecond. */
const DAY_MS = 86_400_000;

function columns(): WideColumn[] {
  const list: WideColumn[] = [
    { name: 'id', type: 'long', value: (id) => id },
    { name: 'timestamp', type: 'timestamp', value: (_, timeMs) => new Date(timeMs) },
    { name: 'device', type: 'string', value: () => '' }, // filled from the device's cached name, see wideRows
    { name: 'long_00', type: 'long', value: (id, _, salt) => 1 + pick3(1_000_000, id, salt, 0) },
  ];
  for (let k = 1; k < 12; k++) {
    const [low, span] = LONG_RANGES[k % LONG_RANGES.length];
    list.push({ name: `long_${pad(k)}`, type: 'long', value: (id, _, salt) => low + Math.floor(unit3(id, salt, k) * span) });
  }
  for (let k = 0; k < 12; k++) {
    const make = DOUBLES[k % DOUBLES.length];
    list.push({ name: `double_${pad(k)}`, type: 'double', value: (id, _, salt) => make(unit3(id, salt, k)) });
  }
  for (let k = 0; k < 11; k++) {
    const distinct = STRING_CARDINALITY[k % STRING_CARDINALITY.length];
    list.push({ name: `string_${pad(k)}`, type: 'string', value: (id, _, salt) => STRING_POOL[pick3(distinct, id, salt, k)] });
  }
  for (let k = 0; k < 6; k++)
    list.push({ name: `bool_${pad(k)}`, type: 'boolean', value: (id, _, salt) => (hash3(id, salt, k) & 1) === 1 });
  for (let k = 0; k < 6; k++) {
    list.push({
      name: `ts_${pad(k)}`,
      type: 'timestamp',
      value: (id, timeMs, salt) => new Date(timeMs - DAY_MS + pick3(2 * DAY_MS, id, salt, k)),
    });
  }
  return list;
}

const WIDE_COLUMNS = columns().map((c, n) => ({ ...c, salt: 0x1000 + n }));

export const WIDE_SCHEMA: Schema = WIDE_COLUMNS.map(({ name, type }) => ({ name, type }));

/** The row generator of one configuration. */
export function wideRows(config: WideConfig): (from: number, to: number) => Row[] {
  const { scale, intervalMs, startMs } = config;
  const devices: string[] = [];
  return (from, to) => {
    const rows: Row[] = new Array(to - from);
    for (let id = from; id < to; id++) {
      const tick = Math.floor(id / scale);
      const device = id - tick * scale;
      const timeMs = startMs + tick * intervalMs;
      const row: Row = {};
      for (const column of WIDE_COLUMNS) row[column.name] = column.value(id, timeMs, column.salt);
      row.device = devices[device] ?? (devices[device] = `device_${device}`);
      rows[id - from] = row;
    }
    return rows;
  };
}
