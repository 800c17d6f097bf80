import type { KafkaConnectionOptions } from './connection-options.js';

/**
 * One line for a failed Kafka call that names the brokers and what to do, for the source's and the sink's errors.
 * The password of `sasl` never appears: only the user is named.
 */
export function describeKafkaError(error: unknown, options: KafkaConnectionOptions, doing: string): string {
  const where = options.bootstrapServers.join(',');
  const reason = error instanceof Error ? error.message : String(error);
  const who = options.sasl ? ` as ${options.sasl.username} (${options.sasl.mechanism})` : '';
  return `kafka ${where}${who}: ${doing} failed: ${reason}`;
}
