import { HttpTransportError } from './http.js';
import { UnexpectedAnswerError, type StreamLoadResult } from './stream-load.js';

/**
 * What one Stream Load answer means for the sink (StarRocks' own statuses: be/src/runtime/stream_load, and the
 * STREAM LOAD reference):
 * - `Success`, `Publish Timeout` (committed; visible once published): done.
 * - `Label Already Exists`: an earlier attempt used this label; ask get_load_state what became of it.
 * - `Fail`: see `isRetriableFailure`.
 */
export type Outcome = 'loaded' | 'label-exists' | 'failed';

export function outcomeOf(result: StreamLoadResult): Outcome {
  switch (result.Status) {
    case 'Success':
    case 'Publish Timeout':
      return 'loaded';
    case 'Label Already Exists':
      return 'label-exists';
    default:
      return 'failed';
  }
}

export const isFilteredFailure = (message: string): boolean => /too many filtered rows/i.test(message);

/** Failures that the same request would meet again: bad data, bad credentials, a table that is not there. */
const PERMANENT = [
  /too many filtered rows/i,
  /access denied|no valid basic authorization|password/i,
  /unknown (database|table)|does not exist|not found|no (database|table) selected/i,
  /no 100-continue header/i,
  /unknown data format|invalid|format error|exceed limit|exceed the max size|parse|no such column|column .* not/i,
];

/** Failures that pass: a busy or restarting server, a timeout, a cancelled transaction. */
const TRANSIENT = [
  /try again|retry|timeout|timed out|busy|shutting down|cancelled|not enough|unavailable|too many (tasks|versions|requests)/i,
];

/** A `Fail` answer: retried unless it is known to be permanent. Unknown messages are retried (with backoff, bounded). */
export function isRetriableFailure(message: string): boolean {
  if (TRANSIENT.some((p) => p.test(message)) && !isFilteredFailure(message)) return true;
  return !PERMANENT.some((p) => p.test(message));
}

/** Below the Stream Load result: network errors and 5xx are retried; 401/403 (credentials) and other 4xx are not. */
export function isRetriableTransport(error: unknown): boolean {
  if (error instanceof HttpTransportError) return true;
  if (error instanceof UnexpectedAnswerError) return error.answer.status >= 500 || error.answer.status === 429;
  return false;
}
