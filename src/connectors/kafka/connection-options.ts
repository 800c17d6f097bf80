import { z } from 'zod';
import { durationOption, retryOptions, type RetryOptions } from '../../component/options.js';
import { secret } from '../../component/secret.js';

/**
 * `127.0.0.1:9192,10.0.0.2:9092` (the form an environment variable gives) or a YAML list, as Spark's
 * `kafka.bootstrap.servers`; each host:port.
 */
const bootstrapServers = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter((s) => s.length > 0))
  .pipe(
    z
      .array(z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}$/, { message: 'expected host:port, e.g. 127.0.0.1:9092' }))
      .min(1, { message: 'give at least one broker, e.g. 127.0.0.1:9092' }),
  );

/**
 * The options the kafka source and sink share: where the brokers are and who connects. One profile (config/kafka.yaml)
 * serves both. Names follow Spark's Kafka options without the `kafka.` prefix where Spark has one.
 */
export const kafkaConnectionOptions = {
  bootstrapServers: bootstrapServers
    .default(['127.0.0.1:9092'])
    .describe(
      'Brokers to connect to first, host:port (Spark: kafka.bootstrap.servers): a list, or one comma-separated string such as "${KAFKA_BOOTSTRAP_SERVERS}". The client finds the rest of the cluster from them.',
    ),
  clientId: z.string().min(1).default('streamlab').describe('client.id the broker logs and quotas see.'),
  sasl: z
    .strictObject({
      mechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']).default('PLAIN').describe('SASL mechanism.'),
      username: z.string().min(1).describe('SASL user.'),
      password: secret('SASL password. Never printed: errors and logs show ***.'),
    })
    .optional()
    .describe('SASL authentication (over plaintext; TLS is not supported yet). Leave out for a broker without authentication.'),
  connectTimeout: durationOption('How long to wait for a connection to a broker.', { default: '5s', positive: true }),
  requestTimeout: durationOption('How long one request may take before the client gives up on it (and retries it).', {
    default: '30s',
    positive: true,
  }),
  ...retryOptions({
    after: 'no broker could be reached, a timeout, or a retriable broker error (leader moved, not enough replicas)',
    giveUp: '10 retries with the default backoff wait about 40 s in all; then the job stops, and restarted, carries on where it stopped.',
  }),
};

/** The connection options once parsed. */
export interface KafkaConnectionOptions extends RetryOptions {
  bootstrapServers: string[];
  clientId: string;
  sasl?: { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string };
  connectTimeout: number;
  requestTimeout: number;
}
