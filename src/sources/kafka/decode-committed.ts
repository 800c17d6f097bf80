import { ATTRIBUTE, type RecordBatch } from './decode-record-batch.js';
import { controlType } from './decode-records.js';

/** A transaction the broker reports aborted in a fetch answer: its producer and the first offset it wrote. */
export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

const ABORT = 0;

/**
 * The data batches of one fetch of one partition that a read_committed consumer reads, in offset order: Kafka's Java
 * consumer's rule (CompletedFetch). The broker sends data up to the last stable offset and the aborted transactions
 * that overlap it; each aborted transaction's batches, from its first offset up to its abort marker, are dropped, and
 * so is every control batch. Several aborted transactions of one producer in one fetch (a transactional id reused
 * after crashes) are each honoured. Under read_uncommitted `aborted` is empty: only control batches are dropped.
 */
export function committedBatches(batches: readonly RecordBatch[], aborted: readonly AbortedTransaction[], where: string): RecordBatch[] {
  const pending = [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const abortedProducers = new Set<bigint>();
  const out: RecordBatch[] = [];
  for (const batch of batches) {
    const control = (batch.attributes & ATTRIBUTE.control) !== 0;
    if (batch.attributes & ATTRIBUTE.transactional) {
      const lastOffset = BigInt(batch.baseOffset + batch.lastOffsetDelta);
      while (pending.length > 0 && pending[0].firstOffset <= lastOffset) abortedProducers.add(pending.shift()!.producerId);
      if (abortedProducers.has(batch.producerId)) {
        if (control && controlType(batch, where) === ABORT) abortedProducers.delete(batch.producerId);
        continue;
      }
    }
    if (!control) out.push(batch);
  }
  return out;
}
