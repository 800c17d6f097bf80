import { crc32c } from '@platformatic/kafka';
import { RuntimeError } from '../../core/errors.js';
import { decompress } from './decode-compression.js';

/**
 * Kafka's RecordBatch (magic 2), as DefaultRecordBatch lays it out: the byte positions of its header fields. The
 * batch length counts from the partition leader epoch on; the CRC-32C covers attributes to the end.
 */
const AT = {
  length: 8,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  recordCount: 57,
  records: 61,
} as const;
/** Bytes before the batch length's count starts: base offset and the length itself. */
const LOG_OVERHEAD = 12;

/** Record-batch attribute bits. */
export const ATTRIBUTE = { codec: 0x07, logAppendTime: 0x08, transactional: 0x10, control: 0x20 } as const;

/** One record batch's header, and where its (possibly compressed) records are. */
export interface RecordBatch {
  baseOffset: number;
  lastOffsetDelta: number;
  attributes: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: bigint;
  recordCount: number;
  /** The records as stored: bytes [start, end) of data, compressed when attributes say a codec. */
  data: Buffer;
  start: number;
  end: number;
}

/** Where in which partition a problem is, for messages: `topic-0, the batch at offset 42`. */
export function describeBatch(where: string, baseOffset: number): string {
  return `${where}, the record batch at offset ${baseOffset}`;
}

/**
 * The complete record batches of one partition of a fetch answer, each CRC-checked, in offset order. The broker may
 * end the answer with part of a batch (it cuts at the byte limit): that part is left out, as Java's consumer leaves it.
 * `where` names the partition in messages. A batch that is not magic 2 or whose CRC is wrong is an error naming it.
 */
export function splitBatches(data: Buffer, where: string): RecordBatch[] {
  const batches: RecordBatch[] = [];
  let position = 0;
  while (data.length - position >= LOG_OVERHEAD) {
    const size = LOG_OVERHEAD + data.readInt32BE(position + AT.length);
    if (data.length - position < size) break;
    batches.push(readBatch(data, position, size, where));
    position += size;
  }
  return batches;
}

function readBatch(data: Buffer, position: number, size: number, where: string): RecordBatch {
  const baseOffset = Number(data.readBigInt64BE(position));
  const magic = data.readInt8(position + AT.magic);
  if (magic !== 2) {
    throw new RuntimeError(
      `kafka source: ${describeBatch(where, baseOffset)} is in message format v${magic}; only v2 (Kafka 0.11 and later) is read`,
    );
  }
  if (size < AT.records)
    throw new RuntimeError(`kafka source: ${describeBatch(where, baseOffset)} is ${size} bytes, shorter than its header`);
  const stored = data.readUInt32BE(position + AT.crc);
  const computed = crc32c(data.subarray(position + AT.attributes, position + size));
  if (stored !== computed) {
    throw new RuntimeError(
      `kafka source: ${describeBatch(where, baseOffset)} is corrupt: its CRC is ${hex(stored)} but its bytes give ${hex(computed)}`,
    );
  }
  return {
    baseOffset,
    lastOffsetDelta: data.readInt32BE(position + AT.lastOffsetDelta),
    attributes: data.readInt16BE(position + AT.attributes),
    baseTimestamp: Number(data.readBigInt64BE(position + AT.baseTimestamp)),
    maxTimestamp: Number(data.readBigInt64BE(position + AT.maxTimestamp)),
    producerId: data.readBigInt64BE(position + AT.producerId),
    recordCount: data.readInt32BE(position + AT.recordCount),
    data,
    start: position + AT.records,
    end: position + size,
  };
}

/** The batch's records uncompressed: [data, start, end). An uncompressed batch is its own bytes, not a copy. */
export function uncompressed(batch: RecordBatch, where: string): [Buffer, number, number] {
  const codec = batch.attributes & ATTRIBUTE.codec;
  if (codec === 0) return [batch.data, batch.start, batch.end];
  const plain = decompress(codec, batch.data.subarray(batch.start, batch.end), describeBatch(where, batch.baseOffset));
  return [plain, 0, plain.length];
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
