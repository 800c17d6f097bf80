import { RuntimeError } from '../../core/errors.js';
import { ATTRIBUTE, describeBatch, type RecordBatch, uncompressed } from './decode-record-batch.js';
import { VarintCursor } from './decode-varint.js';

/**
 * One record of a batch, as positions in the batch's (uncompressed) bytes: no copy of its key, value or headers is
 * made until a row asks for one. The same view object is filled for every record of a read, so keep nothing from it
 * after the visit returns.
 */
export interface RecordView {
  data: Buffer;
  offset: number;
  /** Milliseconds: the producer's time (CreateTime), or with logAppendTime the broker's, the batch's max timestamp. */
  timestamp: number;
  logAppendTime: boolean;
  /** keyLength / valueLength -1: null. */
  keyStart: number;
  keyLength: number;
  valueStart: number;
  valueLength: number;
  headerCount: number;
  headersStart: number;
}

export type RecordViewVisitor = (view: RecordView) => void;

export function emptyView(): RecordView {
  return {
    data: Buffer.alloc(0),
    offset: 0,
    timestamp: 0,
    logAppendTime: false,
    keyStart: 0,
    keyLength: -1,
    valueStart: 0,
    valueLength: -1,
    headerCount: 0,
    headersStart: 0,
  };
}

/**
 * Visits the records of `batch` with from <= offset < until, in order, as Kafka's DefaultRecord lays each out:
 * length, attributes, timestampDelta, offsetDelta, key, value, headers (varints, zigzag). Returns false once a record at
 * or past `until` is met (the read is done). A record that overruns its batch is an error naming the batch.
 */
export function visitRecords(
  batch: RecordBatch,
  from: number,
  until: number,
  where: string,
  view: RecordView,
  visit: RecordViewVisitor,
): boolean {
  const [data, start, end] = uncompressed(batch, where);
  const cursor = new VarintCursor(data, start);
  const logAppendTime = (batch.attributes & ATTRIBUTE.logAppendTime) !== 0;
  view.data = data;
  view.logAppendTime = logAppendTime;
  try {
    for (let i = 0; i < batch.recordCount; i++) {
      const length = cursor.varint();
      const recordEnd = cursor.position + length;
      if (length < 0 || recordEnd > end) throw new RangeError(`record ${i} of ${batch.recordCount} (${length} bytes) overruns the batch`);
      cursor.position++; // attributes: unused in format v2
      const timestampDelta = cursor.varlong();
      const offset = batch.baseOffset + cursor.varint();
      if (offset >= until) return false;
      if (offset < from) {
        cursor.position = recordEnd;
        continue;
      }
      view.offset = offset;
      view.timestamp = logAppendTime ? batch.maxTimestamp : batch.baseTimestamp + timestampDelta;
      view.keyLength = cursor.varint();
      view.keyStart = cursor.position;
      cursor.position += Math.max(view.keyLength, 0);
      view.valueLength = cursor.varint();
      view.valueStart = cursor.position;
      cursor.position += Math.max(view.valueLength, 0);
      view.headerCount = cursor.varint();
      view.headersStart = cursor.position;
      if (cursor.position > recordEnd) throw new RangeError(`record ${i} at offset ${offset}: its key or value overruns the record`);
      cursor.position = recordEnd;
      visit(view);
    }
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new RuntimeError(`kafka source: ${describeBatch(where, batch.baseOffset)} is malformed: ${error.message}`, { cause: error });
  }
  return true;
}

/** A record's headers, in order: key as text, value as bytes (null: a null value). Copies them out of the batch. */
export function recordHeaders(view: RecordView): Array<[string, Buffer | null]> {
  const cursor = new VarintCursor(view.data, view.headersStart);
  const headers: Array<[string, Buffer | null]> = [];
  for (let i = 0; i < view.headerCount; i++) {
    const keyLength = cursor.varint();
    const key = view.data.toString('utf8', cursor.position, cursor.position + keyLength);
    cursor.position += keyLength;
    const valueLength = cursor.varint();
    headers.push([key, valueLength < 0 ? null : Buffer.from(view.data.subarray(cursor.position, cursor.position + valueLength))]);
    cursor.position += Math.max(valueLength, 0);
  }
  return headers;
}

/** A control batch's type, from its record's key (version int16, type int16): 0 ABORT, 1 COMMIT; -1 no key. */
export function controlType(batch: RecordBatch, where: string): number {
  let type = -1;
  const view = emptyView();
  visitRecords(batch, 0, Number.MAX_SAFE_INTEGER, where, view, (record) => {
    if (type === -1 && record.keyLength >= 4) type = record.data.readInt16BE(record.keyStart + 2);
  });
  return type;
}
