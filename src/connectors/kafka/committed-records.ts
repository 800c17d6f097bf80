import type { KafkaRecord, RecordsBatch } from '@platformatic/kafka';

/** Record-batch attribute bits (Kafka's DefaultRecordBatch). */
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;

export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

export interface CommittedRecord {
  offset: bigint;
  record: KafkaRecord;
}

/**
 * The records a read_committed consumer returns from one fetch of one partition: Kafka's Java consumer's rule
 * (Fetcher / CompletedFetch). The broker sends data up to the last stable offset plus the list of aborted
 * transactions that overlap it; the client drops each aborted transaction's batches, from the transaction's first
 * offset up to its abort marker, and drops every control batch. Written here because @platformatic/kafka 1.35 keeps
 * one range per producer id, so a producer with several aborted transactions in one fetch (a transactional id reused
 * after restarts) would get some of its aborted records back.
 */
export function committedRecords(batches: readonly RecordsBatch[], aborted: readonly AbortedTransaction[]): CommittedRecord[] {
  const out: CommittedRecord[] = [];
  for (const batch of committedBatches(batches, aborted)) {
    for (const record of batch.records) out.push({ offset: batch.firstOffset + BigInt(record.offsetDelta), record });
  }
  return out;
}

/** The data batches of one fetch a read_committed consumer reads (see committedRecords), in offset order. */
export function committedBatches(batches: readonly RecordsBatch[], aborted: readonly AbortedTransaction[]): Set<RecordsBatch> {
  const pending = [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const abortedProducers = new Set<bigint>();
  const out = new Set<RecordsBatch>();
  for (const batch of batches) {
    const lastOffset = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    if (batch.attributes & TRANSACTIONAL) {
      while (pending.length > 0 && pending[0].firstOffset <= lastOffset) abortedProducers.add(pending.shift()!.producerId);
      if (abortedProducers.has(batch.producerId)) {
        if (isAbortMarker(batch)) abortedProducers.delete(batch.producerId);
        continue;
      }
    }
    if (!(batch.attributes & CONTROL)) out.add(batch);
  }
  return out;
}

/** A control batch whose record key is (version: int16, type: int16) with type 0 = ABORT (1 = COMMIT). */
function isAbortMarker(batch: RecordsBatch): boolean {
  if (!(batch.attributes & CONTROL)) return false;
  const key = batch.records[0]?.key;
  return key !== null && key !== undefined && key.length >= 4 && key.readInt16BE(2) === 0;
}
