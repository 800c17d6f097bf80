/**
 * Row count and checksum of a bench table, exact, without shipping the rows. `SELECT COUNT(*) FROM t` on a big
 * table is one request that runs until the whole table is read, so it hits the client's timeout (and cqlsh users
 * know it to fail). Here the token ring (Murmur3: -2^63 .. 2^63-1) is cut into equal slices that together cover
 * it exactly once, and each slice is aggregated by the server (`COUNT(*)` and `SUM` over `token(pk) >= a AND
 * token(pk) <= b`), a few slices at a time; the client adds the slices up. Each slice reads 1/SLICES of the table,
 * and only one small row per slice crosses the network.
 *
 * The sum is computed over `CAST(c AS varint)`: Cassandra's SUM(bigint) is a bigint that would wrap silently on
 * overflow, and the checksum column holds whole numbers (a double one too), whose varint sum is exact.
 */
import cassandra from 'cassandra-driver';
import type { ReadBack } from '../../target.js';
import { qualified, quote } from '../../../connectors/cassandra/identifiers.js';
import { type BenchTable, partitionKeyList } from './table.js';

/** Slices of the ring, and how many are read at once (the server shares 2 cores with the bench). */
const SLICES = 64;
const PARALLEL = 4;
/**
 * The server pages an aggregate internally (each page within its range_request_timeout) but answers once, at the
 * end: the client's readTimeout (the profile's `timeout`, 12 s) would cut a slice of a big table short. 1M rows
 * take about 0.2 s per slice here; this allows tables a few hundred times that.
 */
const SLICE_TIMEOUT_MS = 300_000;
const MIN_TOKEN = -(2n ** 63n);
const MAX_TOKEN = 2n ** 63n - 1n;

/** Inclusive [from, to] token bounds that cover the whole ring exactly once, in order. */
export function tokenSlices(count: number): Array<[bigint, bigint]> {
  const width = (MAX_TOKEN - MIN_TOKEN + 1n) / BigInt(count);
  const slices: Array<[bigint, bigint]> = [];
  for (let i = 0; i < count; i++) {
    const from = MIN_TOKEN + width * BigInt(i);
    slices.push([from, i === count - 1 ? MAX_TOKEN : from + width - 1n]);
  }
  return slices;
}

const long = (n: bigint) => cassandra.types.Long.fromString(n.toString());
const big = (v: unknown): bigint => (v === null || v === undefined ? 0n : BigInt(String(v)));

/** Aggregates every slice with `select` (one row of bigint-like columns) and returns the column sums. */
async function sumSlices(client: cassandra.Client, t: BenchTable, select: string): Promise<bigint[]> {
  const pk = partitionKeyList(t);
  const query = `SELECT ${select} FROM ${qualified(t.keyspace, t.table)} WHERE token(${pk}) >= ? AND token(${pk}) <= ?`;
  const slices = tokenSlices(SLICES);
  const totals: bigint[] = [];
  let next = 0;
  const worker = async () => {
    while (next < slices.length) {
      const [from, to] = slices[next++];
      const row = (await client.execute(query, [long(from), long(to)], { prepare: true, readTimeout: SLICE_TIMEOUT_MS })).first();
      row.values().forEach((value, i) => {
        totals[i] = (totals[i] ?? 0n) + big(value);
      });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return totals;
}

export async function countAndSum(client: cassandra.Client, t: BenchTable, checksumColumn: string): Promise<ReadBack> {
  const [rows, checksum] = await sumSlices(client, t, `COUNT(*), SUM(CAST(${quote(checksumColumn)} AS varint))`);
  return { rows: Number(rows), checksum: Number(checksum) };
}

export async function countRows(client: cassandra.Client, t: BenchTable): Promise<number> {
  const [rows] = await sumSlices(client, t, 'COUNT(*)');
  return Number(rows);
}
