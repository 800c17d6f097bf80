/**
 * What the lambda jobs must have written, computed from the messages the devices generator produced (the same
 * pure function devices-kafka runs) and the users lambda-provision wrote.
 */
import type { Row } from '../../src/core/row.js';
import { userMetadata } from '../../src/sources/devices/users.js';

export interface Total {
  timestamp: string;
  id: string;
  value: number;
  type: string;
}

/** The email a message's user is shown by: user_metadata's, or the id of a user it does not have. */
export function shownUser(id: string, provisioned: number): string {
  const n = Number(id.slice(-12));
  return n <= provisioned ? (userMetadata(n).email as string) : id;
}

/** Sums of bytes per (window start, type, id), the speed layer's (5-minute windows) or the batch layer's (1 hour). */
export function totals(messages: Row[], windowMs: number, provisioned: number): Total[] {
  const sums = new Map<string, Total>();
  for (const m of messages) {
    const t = (m.timestamp as Date).getTime();
    const timestamp = new Date(t - (t % windowMs)).toISOString();
    const keys: Array<[string, string]> = [
      ['antenna_bytes_total', m.antenna_id as string],
      ['mail_bytes_total', shownUser(m.id as string, provisioned)],
      ['app_bytes_total', m.app as string],
    ];
    for (const [type, id] of keys) {
      const key = `${timestamp}|${type}|${id}`;
      const total = sums.get(key) ?? { timestamp, id, value: 0, type };
      total.value += m.bytes as number;
      sums.set(key, total);
    }
  }
  return sortTotals([...sums.values()]);
}

export const sortTotals = (rows: Total[]) =>
  rows.sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.type.localeCompare(b.type) || a.id.localeCompare(b.id));

/** A message as comparable text (timestamp ISO, then the fields), for multisets of rows. */
export const messageKey = (m: Row) => `${(m.timestamp as Date).toISOString()}|${m.id}|${m.antenna_id}|${m.app}|${m.bytes}`;
