import { type ColumnBuilder, columnBuilder } from '../../core/columnar/builder.js';
import { ColumnBatch } from '../../core/columnar/column-batch.js';
import type { Vector } from '../../core/columnar/vector.js';
import type { Value } from '../../core/row.js';
import { findColumn, type Schema } from '../../core/schema.js';
import { type RecordView, recordHeaders } from './decode-records.js';
import { payloadDecoder } from './rows.js';

/** Largest column allocated up front for a range (a compacted topic's range may hold far fewer records than offsets). */
const MAX_EXPECTED = 1 << 20;

/**
 * The records of one partition's range as columns of kafkaSchema, the same values as recordDecoder's rows: key and
 * value as strings (dictionary-encoded while they repeat, core/columnar/builder.ts) or byte lists; topic as a
 * one-entry dictionary and partition as one number repeated (a range is one partition); offset, timestamp (epoch ms)
 * and timestampType as typed arrays; headers as a plain array of lists.
 */
export class RangeColumns {
  private readonly key: ColumnBuilder;
  private readonly value: ColumnBuilder;
  private readonly offset: ColumnBuilder;
  private readonly timestamp: ColumnBuilder;
  private readonly timestampType: ColumnBuilder;
  private readonly headers: ColumnBuilder | undefined;
  private readonly payload: (data: Buffer, start: number, length: number) => Value;
  private length = 0;

  constructor(
    private readonly schema: Schema,
    private readonly topic: string,
    private readonly partition: number,
    expected: number,
  ) {
    const size = Math.min(Math.max(expected, 16), MAX_EXPECTED);
    const payloadType = findColumn(schema, 'key')!.type; // string (format text) or array (format bytes)
    this.payload = payloadDecoder(payloadType === 'string' ? 'text' : 'bytes');
    this.key = columnBuilder(payloadType, size);
    this.value = columnBuilder(payloadType, size);
    this.offset = columnBuilder('long', size);
    this.timestamp = columnBuilder('timestamp', size);
    this.timestampType = columnBuilder('long', size);
    this.headers = findColumn(schema, 'headers') ? columnBuilder('array') : undefined;
  }

  /** A batch without records (no partition to read). */
  static none(schema: Schema): ColumnBatch {
    return new RangeColumns(schema, '', 0, 0).finish();
  }

  add(record: RecordView): void {
    const { data } = record;
    this.key.push(this.payload(data, record.keyStart, record.keyLength));
    this.value.push(this.payload(data, record.valueStart, record.valueLength));
    this.offset.push(record.offset);
    this.timestamp.push(record.timestamp);
    this.timestampType.push(record.logAppendTime ? 1 : 0);
    this.headers?.push(recordHeaders(record).map(([key, value]) => ({ key, value: value && this.payload(value, 0, value.length) })));
    this.length++;
  }

  finish(): ColumnBatch {
    const n = this.length;
    const vectors: Vector[] = [
      this.key.finish(),
      this.value.finish(),
      { kind: 'dictionary', indices: new Int32Array(n), dictionary: [this.topic] },
      { kind: 'number', values: new Float64Array(n).fill(this.partition) },
      this.offset.finish(),
      this.timestamp.finish(),
      this.timestampType.finish(),
    ];
    if (this.headers) vectors.push(this.headers.finish());
    return new ColumnBatch(
      this.schema.map((c) => c.name),
      vectors,
      n,
    );
  }
}
