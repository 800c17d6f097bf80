/** What each client of `npm run bench -- kafka` implements: produce the workload, read it back, try transactions. */
import type { Workload } from './records.js';

export interface BenchSettings {
  broker: string;
  /** Records per send call. */
  chunk: number;
  /** Send calls outstanding at once. */
  inFlight: number;
}

export interface Contestant {
  name: string;
  /** Produces every record of the workload to `topic` (acks=all); returns records/s. */
  produce(topic: string, workload: Workload): Promise<number>;
  /**
   * Reads the topic from the earliest offset until every record is there; returns records/s counted from the moment
   * the consumer had its partitions (a group join is not reading), and throws unless each record came exactly once.
   */
  consume(topic: string, workload: Workload): Promise<number>;
  /**
   * Commits one transaction, aborts one, commits a third, then reads `read_committed`: returns undefined when exactly
   * the committed records came back in order, else what went wrong. Absent for a contestant that has no transactions
   * to check here.
   */
  transactions?(topic: string): Promise<string | undefined>;
}

/** The values the transactions check sends: 3 transactions of TXN_RECORDS records, the middle one aborted. */
export const TXN_RECORDS = 50;
export function transactionValues(transaction: number): string[] {
  return Array.from({ length: TXN_RECORDS }, (_, i) => `txn${transaction}-${i}`);
}
/** What a read_committed reader must see: transactions 1 and 3, in order. */
export const committedValues = (): string[] => [...transactionValues(1), ...transactionValues(3)];

export function compareCommitted(read: string[]): string | undefined {
  const expected = committedValues();
  if (read.length !== expected.length) return `read ${read.length} records, expected ${expected.length} (${read.slice(0, 3).join(', ')}…)`;
  const at = read.findIndex((value, i) => value !== expected[i]);
  return at < 0 ? undefined : `record ${at} is ${read[at]}, expected ${expected[at]}`;
}

/** `promise`, or a rejection naming `what` after `ms`: a check that never completes must not hang the bench. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
