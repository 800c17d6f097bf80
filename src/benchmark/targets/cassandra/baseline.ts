/**
 * The fastest hand-written cassandra-driver code for the bench's rows: rows grouped by partition key into unlogged
 * batches of one partition each (up to 100 rows), 64 batches in flight. One partition per batch is one mutation on
 * one replica, and Cassandra applies its batch size thresholds (warn 5 KiB, fail 50 KiB) only to batches that span
 * partitions, so the batches may be large. No value checks or conversions besides what the driver needs, no
 * retries: a failed write fails the run.
 *
 * Chosen by measurement (200k tsbs-cpu-like rows, 100 hosts, micro-batches of 10 000, Cassandra 5.0.9 of
 * `npm run services` on the shared 2-core machine under a load of 10-20, hence the spread): single-row INSERTs,
 * 256 in flight (bench/cassandra.ts's `pool`): 3.0k rows/s; partition batches of 20 rows x 256: 6.8k-13.2k
 * (median 9.3k); 50 x 128: 9.3k-10.3k; 100 x 64: 10.5k-12.8k (median 11.1k).
 */
import cassandra from 'cassandra-driver';
import type { Row, Value } from '../../../core/row.js';
import { qualified, quote } from '../../../connectors/cassandra/identifiers.js';
import type { BenchTable } from './table.js';

export interface BaselineSettings {
  /** Most rows of one partition in one unlogged batch. */
  rowsPerBatch: number;
  /** Batches in flight at once. */
  concurrency: number;
}

const BATCH_OPTIONS: cassandra.QueryOptions = { prepare: true, isIdempotent: true, logged: false };

const driverValue = (value: Value | undefined): unknown =>
  typeof value === 'bigint' ? cassandra.types.Long.fromString(value.toString()) : (value ?? null);

/** Writes one micro-batch: grouped by partition, chunked, `concurrency` batches in flight. */
export async function writePartitionBatches(
  client: cassandra.Client,
  t: BenchTable,
  rows: readonly Row[],
  settings: BaselineSettings,
): Promise<void> {
  const names = t.columns.map((c) => c.name);
  const query = `INSERT INTO ${qualified(t.keyspace, t.table)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
  const partitions = new Map<string, Array<{ query: string; params: unknown[] }>>();
  for (const row of rows) {
    const key = t.partitionKey.map((k) => String(row[k])).join('\u0001');
    const statement = { query, params: names.map((name) => driverValue(row[name])) };
    const group = partitions.get(key);
    if (group) group.push(statement);
    else partitions.set(key, [statement]);
  }
  const requests: Array<Array<{ query: string; params: unknown[] }>> = [];
  for (const group of partitions.values()) {
    for (let i = 0; i < group.length; i += settings.rowsPerBatch) requests.push(group.slice(i, i + settings.rowsPerBatch));
  }
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++];
      if (request.length === 1) await client.execute(request[0].query, request[0].params, BATCH_OPTIONS);
      else await client.batch(request, BATCH_OPTIONS);
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, requests.length) }, worker));
}
