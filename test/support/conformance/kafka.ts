/**
 * The kafka sink in the conformance suite, against the Kafka of `services up`. Kafka keeps records, not rows: the
 * adapter's sink turns each row into a record as a job does with to_json (key = the row's id, value = the row as JSON)
 * and hands it to the real kafka sink (exactly-once); `readAll` reads the topic back as a read_committed consumer
 * (kafkajs, another client) and turns each value back into a row of the schema. One topic per property.
 */
import type { Row, Value } from '../../../src/core/row.js';
import type { Schema } from '../../../src/core/schema.js';
import type { Sink, SinkContext } from '../../../src/core/sink.js';
import { kafkaSink } from '../../../src/sinks/kafka/index.js';
import { createTopic, deleteTopics, readCommitted } from '../kafka-read.js';
import { service } from '../services.js';
import type { SinkAdapter } from '../sink-conformance.js';
import { buildContext } from './build-context.js';

const RECORD_SCHEMA: Schema = [
  { name: 'key', type: 'string' },
  { name: 'value', type: 'string' },
];

/** A sink that writes each row as { key: id, value: JSON } through the kafka sink. */
class RowsAsJson implements Sink {
  readonly description: string;
  constructor(private readonly inner: Sink) {
    this.description = `RowsAsJson[${inner.description}]`;
  }
  open(context: SinkContext) {
    return this.inner.open(context);
  }
  foreachBatch(rows: Row[], batchId: number) {
    return this.inner.foreachBatch(
      rows.map((row) => ({ key: String(row.id), value: JSON.stringify(row) })),
      batchId,
    );
  }
  close() {
    return this.inner.close();
  }
}

function rowOf(json: string, schema: Schema): Row {
  const parsed = JSON.parse(json) as Record<string, Value>;
  const row: Row = {};
  for (const { name, type } of schema) {
    const value = parsed[name] ?? null;
    row[name] = type === 'timestamp' && value !== null ? new Date(value as string) : value;
  }
  return row;
}

export function kafkaAdapter(): SinkAdapter {
  const kafka = service('kafka');
  const topics: string[] = [];
  const commitsTopic = `kafka-sink-conf-commits-${process.pid}`;
  return {
    name: 'kafka (exactly-once, read back read_committed)',
    skip: kafka.skip,
    columnTypes: ['string', 'long', 'double', 'boolean', 'timestamp', 'array', 'struct'],
    async tearDown() {
      await deleteTopics(kafka.address, [...topics, commitsTopic]);
    },
    async target(label, schema) {
      const topic = `kafka-sink-conf-${label}-${process.pid}-${topics.length}`;
      topics.push(topic);
      await createTopic(kafka.address, topic);
      const options = kafkaSink.options.parse({ bootstrapServers: kafka.address, topic, commitsTopic, maxRetries: 2 });
      return {
        build: () => new RowsAsJson(kafkaSink.create(options, buildContext(RECORD_SCHEMA))),
        readAll: async () => (await readCommitted(kafka.address, topic)).map((r) => rowOf(r.value!, schema)),
      };
    },
  };
}
