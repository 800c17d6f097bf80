/**
 * The antenna messages of the lambda project, with the fields of the original's JSON (`timestamp`, `id` of the
 * user, `antenna_id`, `app`, `bytes`). Message i is a pure function of i and the start time, so a replayed batch,
 * a second run and a test's expected rows agree exactly.
 */
import { pick3, unit3 } from '../../core/hash.js';
import type { Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import { antennaId, userId } from './users.js';

/** The original's applications. */
export const DEVICE_APPS = ['SKYPE', 'FACEBOOK', 'WHATSAPP', 'FACETIME'] as const;

export const DEVICES_SCHEMA: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'id', type: 'string' },
  { name: 'antenna_id', type: 'string' },
  { name: 'app', type: 'string' },
  { name: 'bytes', type: 'long' },
];

export interface DevicesConfig {
  /** Users 1..users send messages. */
  users: number;
  /** Antennas 1..antennas relay them. */
  antennas: number;
  /** Messages in each interval. */
  perInterval: number;
  intervalMs: number;
}

/** Bytes of one message: 100 to 200 000, small ones more frequent (a square of a uniform number), mean about 67 kB. */
export const messageBytes = (i: number) => 100 + Math.floor(199_900 * unit3(i, 4, 0x6279) ** 2);

/**
 * Rows [from, to) for a given start: message i belongs to interval floor(i / perInterval) and is spread evenly inside
 * it (k-th of the interval at start + tick * interval + floor(k * interval / perInterval)), so timestamps only grow
 * and no two messages of one interval share a millisecond unless the interval is shorter than its message count.
 */
export function devicesRows(config: DevicesConfig, startMs: number): (from: number, to: number) => Row[] {
  const { users, antennas, perInterval, intervalMs } = config;
  return (from, to) => {
    const rows: Row[] = new Array(to - from);
    for (let i = from; i < to; i++) {
      const tick = Math.floor(i / perInterval);
      const k = i - tick * perInterval;
      rows[i - from] = {
        timestamp: new Date(startMs + tick * intervalMs + Math.floor((k * intervalMs) / perInterval)),
        id: userId(pick3(users, i, 1, 0x7573) + 1),
        antenna_id: antennaId(pick3(antennas, i, 2, 0x616e) + 1),
        app: DEVICE_APPS[pick3(DEVICE_APPS.length, i, 3, 0x6170)],
        bytes: messageBytes(i),
      };
    }
    return rows;
  };
}
