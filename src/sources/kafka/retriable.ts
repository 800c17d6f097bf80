/**
 * Which @platformatic/kafka failures another attempt can fix: the connector's rule, shared with the sink. It reads the
 * whole error tree: a refused login is the `cause` of a retriable NetworkError, which `findBy` (it searches `errors`,
 * not `cause`) does not reach, so the source retried wrong credentials (test/sources/kafka-auth.test.ts).
 */
export { isRetriableKafkaError } from '../../connectors/kafka/retriable.js';

/** Whether Kafka answered OFFSET_OUT_OF_RANGE (the offset asked for is before the log start or after its end). */
export function isOffsetOutOfRange(error: unknown): boolean {
  const found = error as { findBy?: (property: string, value: unknown) => unknown } | undefined;
  return Boolean(found && typeof found.findBy === 'function' && found.findBy('apiId', 'OFFSET_OUT_OF_RANGE'));
}
