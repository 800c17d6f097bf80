import type { KafkaRecord, RecordsBatch } from '@platformatic/kafka';
import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';

/** Kafka's batch attribute bit for LogAppendTime: the broker's time replaced the producer's. */
const LOG_APPEND_TIME = 1 << 3;

/**
 * Spark's Kafka row schema, in Spark's order: key, value, topic, partition, offset, timestamp, timestampType, and
 * headers with includeHeaders. key and value are strings here (Spark: binary, which jobs CAST to STRING), or lists of
 * byte values with format bytes; timestampType is 0 (CreateTime) or 1 (LogAppendTime), as in Spark.
 */
export function kafkaSchema(format: 'text' | 'bytes', includeHeaders: boolean): Schema {
  const payload = format === 'text' ? 'string' : 'array';
  return [
    { name: 'key', type: payload },
    { name: 'value', type: payload },
    { name: 'topic', type: 'string' },
    { name: 'partition', type: 'long' },
    { name: 'offset', type: 'long' },
    { name: 'timestamp', type: 'timestamp' },
    { name: 'timestampType', type: 'long' },
    ...(includeHeaders ? [{ name: 'headers', type: 'array' as const }] : []),
  ];
}

/** Turns Kafka records into rows of kafkaSchema. */
export function recordDecoder(format: 'text' | 'bytes', includeHeaders: boolean) {
  const payload = format === 'text' ? text : bytes;
  return (topic: string, partition: number, batch: RecordsBatch, record: KafkaRecord, offset: number): Row => {
    const logAppend = (batch.attributes & LOG_APPEND_TIME) !== 0;
    // Added as numbers, not bigints (one allocation less per record); milliseconds stay exact far below 2^53.
    const millis = logAppend ? Number(batch.maxTimestamp) : Number(batch.firstTimestamp) + Number(record.timestampDelta);
    const row: Row = {
      key: payload(record.key),
      value: payload(record.value),
      topic,
      partition,
      offset,
      timestamp: new Date(millis),
      timestampType: logAppend ? 1 : 0,
    };
    if (includeHeaders) row.headers = record.headers.map(([key, value]) => ({ key: text(key), value: payload(value) }));
    return row;
  };
}

function text(buffer: Buffer | null | undefined): string | null {
  return buffer == null ? null : buffer.toString('utf8');
}

function bytes(buffer: Buffer | null | undefined): Value {
  return buffer == null ? null : Array.from(buffer);
}
