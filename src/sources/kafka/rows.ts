import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import { type RecordView, recordHeaders } from './decode-records.js';

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

/** Turns Kafka records (views of them in a fetched batch, decode-records.ts) into rows of kafkaSchema. */
export function recordDecoder(format: 'text' | 'bytes', includeHeaders: boolean) {
  const payload = payloadDecoder(format);
  return (topic: string, partition: number, record: RecordView): Row => {
    const { data } = record;
    const row: Row = {
      key: payload(data, record.keyStart, record.keyLength),
      value: payload(data, record.valueStart, record.valueLength),
      topic,
      partition,
      offset: record.offset,
      timestamp: new Date(record.timestamp),
      timestampType: record.logAppendTime ? 1 : 0,
    };
    if (includeHeaders) {
      row.headers = recordHeaders(record).map(([key, value]) => ({ key, value: value && payload(value, 0, value.length) }));
    }
    return row;
  };
}

/** How a key or value (and a header's value) is read: as text or as a list of byte values. */
export function payloadDecoder(format: 'text' | 'bytes'): (data: Buffer, start: number, length: number) => Value {
  return format === 'text' ? text : bytes;
}

/** Bytes [start, start + length) as UTF-8 text; length -1: null. */
function text(data: Buffer, start: number, length: number): string | null {
  return length < 0 ? null : data.toString('utf8', start, start + length);
}

/** Bytes [start, start + length) as a list of byte values; length -1: null. */
function bytes(data: Buffer, start: number, length: number): Value {
  return length < 0 ? null : Array.from(data.subarray(start, start + length));
}
