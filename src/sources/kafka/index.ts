import { defineSource } from '../../component/definition.js';
import { registerSecret } from '../../core/redact.js';
import { kafkaSourceOptions, topicStrategy } from './options.js';
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
    { assign: '{"events":[0,1]}', startingOffsets: { events: { '0': 42, '1': -2 } }, format: 'bytes' },
  ],
  create(o) {
    if (o.sasl) registerSecret(o.sasl.password);
    return new KafkaSource({
      connection: o,
      strategy: topicStrategy(o),
      startingOffsets: o.startingOffsets,
      maxOffsetsPerTrigger: o.maxOffsetsPerTrigger,
      failOnDataLoss: o.failOnDataLoss,
      includeHeaders: o.includeHeaders,
      format: o.format,
      isolationLevel: o.isolationLevel,
      maxBytesPerFetch: o.maxBytesPerFetch,
    });
  },
  // Which records an offset stands for: the topics read. startingOffsets is read once, on the first run only.
  offsetIdentity: (o) => ({ subscribe: o.subscribe, subscribePattern: o.subscribePattern, assign: o.assign }),
});
