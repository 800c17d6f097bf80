import { type Reader, ResponseError } from '@platformatic/kafka';

/** Kafka's Fetch API: key 1. Version 13 (Kafka 3.1+) names topics by id; its answer's layout holds through v17. */
export const FETCH_API_KEY = 1;
export const FETCH_VERSION = 13;

/** One partition of a Fetch answer, with its records left as the bytes the broker sent (record batches). */
export interface FetchedPartition {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  abortedTransactions: Array<{ producerId: bigint; firstOffset: bigint }>;
  /** The partition's record batches, one contiguous buffer; empty when there were none. */
  records: Buffer;
}

/**
 * Reads a Fetch answer (v13-v17) as @platformatic/kafka's own parser does, except the records: they are kept as one
 * buffer for decode-record-batch.ts instead of being parsed into objects record by record. An error code on the answer
 * or on a partition becomes the client's ResponseError, so its callers recognise it (OFFSET_OUT_OF_RANGE, retriable
 * errors) as they recognise the client's. Tagged fields are skipped tag by tag (the protocol's layout).
 */
export function parseFetchResponse(_correlationId: number, apiKey: number, apiVersion: number, reader: Reader): FetchedPartition[] {
  const errors: Record<string, [number, null]> = {};
  reader.readInt32(); // throttle_time_ms
  const errorCode = reader.readInt16();
  if (errorCode !== 0) errors[''] = [errorCode, null];
  reader.readInt32(); // session_id
  const partitions: FetchedPartition[] = [];
  reader.readArray(
    (topic, i) => {
      topic.readUUID();
      topic.readArray(
        (r, j) => {
          const partition = readPartition(r);
          if (partition.errorCode !== 0) errors[`/responses/${i}/partitions/${j}`] = [partition.errorCode, null];
          partitions.push(partition);
          skipTaggedFields(r);
        },
        true,
        false,
      );
      skipTaggedFields(topic);
    },
    true,
    false,
  );
  if (Object.keys(errors).length > 0) throw new ResponseError(apiKey, apiVersion, errors, { errorCode, partitions });
  return partitions;
}

function readPartition(r: Reader): FetchedPartition {
  const partitionIndex = r.readInt32();
  const errorCode = r.readInt16();
  const highWatermark = r.readInt64();
  const lastStableOffset = r.readInt64();
  const logStartOffset = r.readInt64();
  const abortedTransactions =
    r.readNullableArray(
      (a) => {
        const aborted = { producerId: a.readInt64(), firstOffset: a.readInt64() };
        skipTaggedFields(a);
        return aborted;
      },
      true,
      false,
    ) ?? [];
  r.readInt32(); // preferred_read_replica
  const size = r.readUnsignedVarInt() - 1; // COMPACT_RECORDS: length + 1, 0 for null
  // One copy when the answer arrived in several socket chunks: the decoder then reads a single buffer.
  const records = size > 0 ? r.buffer.slice(r.position, r.position + size) : Buffer.alloc(0);
  if (size > 0) r.skip(size);
  return { partitionIndex, errorCode, highWatermark, lastStableOffset, logStartOffset, abortedTransactions, records };
}

/** A tagged-field section: a count, then each field's tag, size and bytes. */
function skipTaggedFields(r: Reader): void {
  const count = r.readUnsignedVarInt();
  for (let i = 0; i < count; i++) {
    r.readUnsignedVarInt();
    r.skip(r.readUnsignedVarInt());
  }
}
