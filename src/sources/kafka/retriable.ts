/**
 * Which @platformatic/kafka failures another attempt can fix: a broker that cannot be reached or timed out
 * (PLT_KFK_NETWORK, also the code of its TimeoutError), and broker answers Kafka marks retriable (leader moved,
 * not enough replicas, coordinator loading). Wrong credentials, an unknown topic or a bad request are not.
 */
export function isRetriableKafkaError(error: unknown): boolean {
  const found = error as { code?: string; canRetry?: boolean; findBy?: (property: string, value: unknown) => unknown } | undefined;
  if (!found || typeof found !== 'object') return false;
  if (typeof found.findBy === 'function') {
    if (found.findBy('code', 'PLT_KFK_AUTHENTICATION')) return false;
    return Boolean(found.findBy('code', 'PLT_KFK_NETWORK') || found.findBy('canRetry', true));
  }
  return found.code === 'PLT_KFK_NETWORK' || found.canRetry === true;
}

/** Whether Kafka answered OFFSET_OUT_OF_RANGE (the offset asked for is before the log start or after its end). */
export function isOffsetOutOfRange(error: unknown): boolean {
  const found = error as { findBy?: (property: string, value: unknown) => unknown } | undefined;
  return Boolean(found && typeof found.findBy === 'function' && found.findBy('apiId', 'OFFSET_OUT_OF_RANGE'));
}
