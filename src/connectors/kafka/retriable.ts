import { isAuthFailure, isAuthorizationFailure, isTimeout, SOCKET_REASONS } from './error-kinds.js';
import { type ErrorNode, errorNodes } from './error-tree.js';

/** Broker errors no retry can fix although the client marks them retriable: a newer process owns the transactional id. */
const FENCED = new Set(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH']);

/**
 * Whether retrying a failed @platformatic/kafka call can help, looking through the whole error tree (a refused login
 * sits under a retriable NetworkError): not for refused credentials, a missing permission or topic, a fenced producer,
 * or a misuse the client reports (those fail at once, with describeKafkaError's line); yes for an unreachable broker, a timeout, a closed connection
 * and the broker errors the client marks as retriable (leader moved, not enough replicas).
 */
export function isRetriableKafkaError(error: unknown): boolean {
  const nodes = errorNodes(error);
  const final = (n: ErrorNode) =>
    isAuthFailure(n) ||
    isAuthorizationFailure(n) ||
    n.apiId === 'UNSUPPORTED_SASL_MECHANISM' ||
    (n.apiId !== undefined && (FENCED.has(n.apiId) || n.canRetry === false)) ||
    n.code === 'PLT_KFK_USER';
  if (nodes.some(final)) return false;
  return nodes.some((n) => n.canRetry === true || isTimeout(n) || (n.code !== undefined && n.code in SOCKET_REASONS));
}

/** A newer producer with the same transactional id exists: this one can never write again. */
export function isFencedKafkaError(error: unknown): boolean {
  const e = error as { findBy?: (k: string, v: unknown) => unknown } | undefined;
  return Boolean(e?.findBy?.('apiId', 'PRODUCER_FENCED') || e?.findBy?.('apiId', 'INVALID_PRODUCER_EPOCH'));
}
