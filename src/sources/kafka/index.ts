import { defineSource } from '../../component/definition.js';
import { registerSecret } from '../../core/redact.js';
import { kafkaSourceOptions, topicStrategy } from './options.js';
import { KafkaGroupSource } from './group-source.js';
import { KafkaSource } from './source.js';

export { KafkaSource } from './source.js';

/**
 * The `kafka` source: Spark's readStream.format("kafka") with its options and row schema. Replayable: a batch is an
 * offset range per partition, recorded in the checkpoint as Spark records it.
 */
export const kafkaSource = defineSource({
  type: 'kafka',
  summary:
    'Records of Kafka topics (Spark: readStream.format("kafka")): key, value, topic, partition, offset, timestamp, timestampType[, headers]. Offsets in the checkpoint as Spark writes them; replayable.',
  options: kafkaSourceOptions,
  examples: [
    { bootstrapServers: '127.0.0.1:9092', subscribe: 'test-topic' },
    {
      bootstrapServers: '127.0.0.1:9092,127.0.0.1:9093',
      subscribe: ['telemetry'],
      startingOffsets: 'earliest',
      maxOffsetsPerTrigger: 10000,
      includeHeaders: true,
    },
    { subscribePattern: 'sensors-.*', startingOffsets: '{"sensors-a":{"0":-2}}', failOnDataLoss: false },
    { bootstrapServers: '127.0.0.1:9092', subscribe: 'events', group: 'events-to-postgres', startingOffsets: 'earliest' },
    { assign: '{"events":[0,1]}', startingOffsets: { events: { '0': 42, '1': -2 } }, format: 'bytes' },
  ],
  create(o) {
    if (o.sasl) registerSecret(o.sasl.password);
    const config = {
      connection: o,
      strategy: topicStrategy(o),
      startingOffsets: o.startingOffsets,
      maxOffsetsPerTrigger: o.maxOffsetsPerTrigger,
      failOnDataLoss: o.failOnDataLoss,
      includeHeaders: o.includeHeaders,
      format: o.format,
      isolationLevel: o.isolationLevel,
      maxBytesPerFetch: o.maxBytesPerFetch,
    };
    if (o.group !== undefined) return new KafkaGroupSource({ ...config, group: o.group, sessionTimeoutMs: o.groupSessionTimeout });
    return new KafkaSource(config);
  },
  // Which records an offset stands for: the topics read. startingOffsets is read once, on the first run only.
  offsetIdentity: (o) => ({
    subscribe: o.subscribe,
    subscribePattern: o.subscribePattern,
    assign: o.assign,
    ...(o.group !== undefined ? { group: o.group } : {}),
  }),
});
