import { z } from 'zod';
import { kafkaConnectionOptions, type KafkaConnectionOptions } from '../../connectors/kafka/connection-options.js';

/** Topic names as Kafka accepts them: up to 249 of [a-zA-Z0-9._-]. */
export const topicName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,249}$/, { message: 'expected a Kafka topic name: 1 to 249 letters, digits, dots, underscores or dashes' });

export const KafkaSinkOptions = z.strictObject({
  ...kafkaConnectionOptions,
  topic: topicName
    .optional()
    .describe(
      "Topic every row is written to (Spark's `topic` option). Without it each row needs a `topic` column; with it a `topic` column is ignored, as in Spark.",
    ),
  deliveryGuarantee: z
    .enum(['exactlyOnce', 'atLeastOnce'])
    .default('exactlyOnce')
    .describe(
      "exactlyOnce: each batch is one Kafka transaction that also writes a marker (query id, batch id) to `commitsTopic`; a replayed batch whose marker is committed is skipped, so consumers reading with isolation.level=read_committed see every row once. atLeastOnce: no transactions (idempotent produce only); a batch replayed after a crash is written again, so consumers may see its rows twice (what Spark's own Kafka sink gives).",
    ),
  commitsTopic: topicName
    .default('streamlab_commits')
    .describe(
      'exactlyOnce: topic of the batch markers (one record per batch, key = query id), created with one partition and cleanup.policy=compact when missing.',
    ),
  transactionalId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'exactlyOnce: the transactional.id (default: streamlab-<query id>, stable across restarts of the query). A restarted process takes it over and fences the old one: only one process may write for a query.',
    ),
  maxRequestSize: z
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1_000_000)
    .describe(
      "Bytes of records per produce request (Kafka's max.request.size); a batch is sent in as many requests as it needs, all in its one transaction. Keep it below the broker's message.max.bytes (1 MiB by default): a larger request is refused with MESSAGE_TOO_LARGE.",
    ),
  transactionTimeout: z
    .number()
    .int()
    .min(1000)
    .max(900_000)
    .default(60_000)
    .describe(
      "exactlyOnce: transaction.timeout.ms: a transaction left open this long (its process died and no restart came) is aborted by the broker; until then read_committed consumers of the topic wait. At most the broker's transaction.max.timeout.ms (15 min by default).",
    ),
});

export type KafkaSinkOptions = z.output<typeof KafkaSinkOptions> & KafkaConnectionOptions;
