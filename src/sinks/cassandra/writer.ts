import type cassandra from 'cassandra-driver';
import { isRetriable } from './errors.js';

/** Some statements of a round failed with retriable errors (or were not sent after one did). */
export class PartialFailure extends Error {
  constructor(
    /** Indexes (into the round's statements) still to be written. */
    readonly pending: number[],
    override readonly cause: unknown,
  ) {
    super(`${pending.length} write(s) failed`);
  }
}

/** Every request is prepared and idempotent; consistency and timeout come from the client's defaults. */
const EXECUTE_OPTIONS: cassandra.QueryOptions = { prepare: true, isIdempotent: true };

/**
 * Runs one prepared statement per parameter list, `concurrency` in flight: each of `concurrency` workers sends its
 * next statement when its previous one is acknowledged (what the driver's `concurrent.executeConcurrent` does, minus
 * its result bookkeeping; bench/cassandra.ts measures both).
 *
 * A retriable failure (no node reachable, a timeout) stops the round: the statements in flight finish, nothing new
 * is sent, and the round rejects with PartialFailure naming every statement not yet acknowledged, so the caller
 * can wait and send just those again. A failure no retry can fix rejects with that error at once.
 */
export async function executeRound(
  client: cassandra.Client,
  query: string,
  params: readonly unknown[][],
  indexes: readonly number[] | undefined,
  concurrency: number,
): Promise<void> {
  const count = indexes ? indexes.length : params.length;
  let next = 0;
  let stopped = false;
  let fatal: unknown;
  let retriable: unknown;
  const failed: number[] = [];

  const worker = async () => {
    while (!stopped && next < count) {
      const index = indexes ? indexes[next++] : next++;
      try {
        await client.execute(query, params[index], EXECUTE_OPTIONS);
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
    throw new PartialFailure(failed.sort((a, b) => a - b), retriable);
  }
}
