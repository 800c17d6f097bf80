import type cassandra from 'cassandra-driver';
import { isRetriable } from '../../connectors/cassandra/errors.js';

/** Some requests of a round failed with retriable errors (or were not sent after one did). */
export class PartialFailure extends Error {
  constructor(
    /** Indexes (into the round's units) still to be written. */
    readonly pending: number[],
    override readonly cause: unknown,
  ) {
    super(`${pending.length} write(s) failed`);
  }
}

/** One request: a row (its index), or rows of one partition (their indexes) sent as one unlogged batch. */
export type Unit = number | number[];

export interface Grouping {
  /** Indexes (into a row's parameters) of the partition key columns. */
  partitionKey: number[];
  /** Most rows in one batch; 1 sends every row alone. */
  maxRows: number;
  /** Most (estimated) bytes of values in one batch. */
  maxBytes: number;
}

/**
 * Cassandra 5 warns about batches over 5 KiB (batch_size_warn_threshold) and refuses them over 50 KiB
 * (batch_size_fail_threshold). The estimate counts values only, below what the server counts: stay well under.
 */
export const BATCH_BYTES = 4096;

/**
 * The requests of a micro-batch: rows that share a partition key go together in unlogged batches (one mutation per
 * partition on the server: far fewer requests, see bench/cassandra.ts), every other row is a request of its own.
 * A multi-partition batch would make one node coordinate writes for others, so rows are never mixed across
 * partitions.
 */
export function planUnits(params: readonly unknown[][], grouping: Grouping): Unit[] {
  const { partitionKey, maxRows, maxBytes } = grouping;
  if (maxRows <= 1 || partitionKey.length === 0) return params.map((_, i) => i);
  const single = partitionKey.length === 1 ? partitionKey[0] : -1;
  const partitions = new Map<unknown, number[]>();
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    // One key column of a primitive type (the common case) is its own map key; otherwise a joined text form.
    const key =
      single >= 0 && (typeof p[single] === 'string' || typeof p[single] === 'number')
        ? p[single]
        : partitionKey.map((k) => keyText(p[k])).join('\u0001');
    const rows = partitions.get(key);
    if (rows) rows.push(i);
    else partitions.set(key, [i]);
  }
  const units: Unit[] = [];
  for (const rows of partitions.values()) {
    if (rows.length === 1) {
      units.push(rows[0]);
      continue;
    }
    let chunk: number[] = [];
    let bytes = 0;
    for (const row of rows) {
      const size = estimateBytes(params[row]);
      if (chunk.length > 0 && (chunk.length >= maxRows || bytes + size > maxBytes)) {
        units.push(chunk.length === 1 ? chunk[0] : chunk);
        chunk = [];
        bytes = 0;
      }
      chunk.push(row);
      bytes += size;
    }
    units.push(chunk.length === 1 ? chunk[0] : chunk);
  }
  return units;
}

function keyText(value: unknown): string {
  return value instanceof Date ? `d${value.getTime()}` : `${typeof value}:${String(value)}`;
}

/**
 * Bytes of a row's values, roughly: text counts its UTF-16 length, which is its UTF-8 size for ASCII and at most a
 * third of it otherwise; even then a 4 KiB budget stays far below the 50 KiB the server refuses.
 */
function estimateBytes(values: readonly unknown[]): number {
  let bytes = 0;
  for (const v of values) {
    if (typeof v === 'string') bytes += v.length;
    else if (v !== null && typeof v === 'object' && !(v instanceof Date)) bytes += JSON.stringify(v)?.length ?? 16;
    else bytes += 8;
  }
  return bytes;
}

/** Units' total rows. */
export function rowsIn(units: readonly Unit[], indexes: readonly number[]): number {
  let rows = 0;
  for (const i of indexes) rows += typeof units[i] === 'number' ? 1 : (units[i] as number[]).length;
  return rows;
}

/** Every request is prepared and idempotent; consistency and timeout come from the client's defaults. */
const EXECUTE_OPTIONS: cassandra.QueryOptions = { prepare: true, isIdempotent: true };
const BATCH_OPTIONS: cassandra.QueryOptions = { prepare: true, isIdempotent: true, logged: false };

/**
 * Sends units (rows, or unlogged batches of one partition's rows), `concurrency` in flight: each of `concurrency`
 * workers sends its next unit when its previous one is acknowledged (what the driver's
 * `concurrent.executeConcurrent` does for single statements, minus its result bookkeeping; bench/cassandra.ts
 * measures both).
 *
 * A retriable failure (no node reachable, a timeout) stops the round: the requests in flight finish, nothing new is
 * sent, and the round rejects with PartialFailure naming every unit not yet acknowledged, so the caller can wait
 * and send just those again. A failure no retry can fix rejects with that error at once.
 */
export async function executeRound(
  client: cassandra.Client,
  query: string,
  params: readonly unknown[][],
  units: readonly Unit[],
  indexes: readonly number[] | undefined,
  concurrency: number,
): Promise<void> {
  const count = indexes ? indexes.length : units.length;
  let next = 0;
  let stopped = false;
  let fatal: unknown;
  let retriable: unknown;
  const failed: number[] = [];

  const worker = async () => {
    while (!stopped && next < count) {
      const index = indexes ? indexes[next++] : next++;
      const unit = units[index];
      try {
        if (typeof unit === 'number') await client.execute(query, params[unit], EXECUTE_OPTIONS);
        else
          await client.batch(
            unit.map((row) => ({ query, params: params[row] })),
            BATCH_OPTIONS,
          );
      } catch (error) {
        stopped = true;
        if (isRetriable(error)) {
          failed.push(index);
          retriable ??= error;
        } else fatal ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (fatal !== undefined) throw fatal;
  if (retriable !== undefined) {
    for (let k = next; k < count; k++) failed.push(indexes ? indexes[k] : k);
    throw new PartialFailure(
      failed.sort((a, b) => a - b),
      retriable,
    );
  }
}
