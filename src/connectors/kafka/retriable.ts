/**
 * Whether retrying a failed @platformatic/kafka call can help: a network error, a timeout, or a broker error Kafka
 * marks retriable (leader moved, coordinator loading, concurrent transactions). A fenced producer, bad credentials,
 * an authorization failure or an invalid request are not retried.
 */
export function isRetriableKafkaError(error: unknown): boolean {
  const e = error as { canRetry?: boolean; code?: string; errors?: unknown[]; findBy?: (k: string, v: unknown) => unknown };
  if (!e || typeof e !== 'object') return false;
  if (isFencedKafkaError(error)) return false;
  if (e.code === 'PLT_KFK_NETWORK' || e.code === 'PLT_KFK_TIMEOUT') return true;
  if (e.canRetry === true) return true;
  if (Array.isArray(e.errors) && e.errors.length > 0) return e.errors.every(isRetriableKafkaError);
  return false;
}

/** A newer producer with the same transactional id exists: this one can never write again. */
export function isFencedKafkaError(error: unknown): boolean {
  const e = error as { findBy?: (k: string, v: unknown) => unknown } | undefined;
  return Boolean(e?.findBy?.('apiId', 'PRODUCER_FENCED') || e?.findBy?.('apiId', 'INVALID_PRODUCER_EPOCH'));
}
