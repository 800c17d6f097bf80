import type { BaseOptions } from '@platformatic/kafka';
import type { KafkaConnectionOptions } from './connection-options.js';

/**
 * The options every @platformatic/kafka client (Producer, Consumer, Admin) of the source and the sink is made with.
 * The client's own retries stay off: a component retries through core/retry.ts with the job's `maxRetries` and
 * `backoff`, so a Kafka outage is retried, logged and given up on the way every other sink's is.
 */
export function kafkaClientOptions(options: KafkaConnectionOptions, role: string): BaseOptions {
  return {
    clientId: `${options.clientId}-${role}`,
    bootstrapBrokers: options.bootstrapServers,
    connectTimeout: options.connectTimeout,
    requestTimeout: options.requestTimeout,
    retries: 0,
    ...(options.sasl
      ? { sasl: { mechanism: options.sasl.mechanism, username: options.sasl.username, password: options.sasl.password } }
      : {}),
  };
}
