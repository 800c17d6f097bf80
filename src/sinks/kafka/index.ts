import { defineSink } from '../../component/definition.js';
import { retryPolicy } from '../../component/options.js';
import { KafkaSinkOptions } from './options.js';
import { planRecords } from './records.js';
import { KafkaSink } from './sink.js';

export { KafkaSinkOptions } from './options.js';
export { KafkaSink, type KafkaSinkConfig } from './sink.js';

/**
 * The `kafka` sink, Spark's Kafka sink contract (`value` required; `key`, `topic`, `headers`, `partition` optional;
 * a `topic` option) on @platformatic/kafka, exactly-once per batch by default. Files: options.ts (the schema),
 * records.ts (rows -> records, checked against the input at build time), markers.ts and commits-topic.ts (the
 * batch markers), sink.ts (transactions, replays, retries).
 */
export const kafkaSink = defineSink({
  type: 'kafka',
  summary:
    "Kafka topic, Spark's contract (value; key, topic, headers, partition optional); exactly-once: one transaction per batch with a marker in a commits topic, so a replayed batch is skipped.",
  options: KafkaSinkOptions,
  examples: [
    { bootstrapServers: '127.0.0.1:9092', topic: 'test-topic' },
    { bootstrapServers: 'broker1:9092,broker2:9092', topic: 'sys_metrics', deliveryGuarantee: 'atLeastOnce' },
    {
      bootstrapServers: ['broker1:9092', 'broker2:9092'],
      commitsTopic: 'etl_commits',
      sasl: { username: 'etl', password: '${KAFKA_PASSWORD}' },
    },
  ],
  create(options, context) {
    const plan = planRecords(context.input, options.topic, context.location);
    return new KafkaSink({ options, plan, retry: retryPolicy(options) });
  },
});
