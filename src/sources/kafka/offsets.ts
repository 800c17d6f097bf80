import type { Offset } from '../../core/row.js';

/**
 * Where a Kafka source stands: for each topic, for each partition, the offset of the next record to read (one past
 * the last record read), as Spark's KafkaSourceOffset writes it in the checkpoint: `{"topic":{"0":42,"1":17}}`.
 * Spark's startingOffsets JSON uses the same shape with -2 for earliest and -1 for latest.
 */
export type PartitionOffsets = Record<string, Record<string, number>>;

/** One topic-partition, as Kafka names it in messages: `topic-0`. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

export const EARLIEST = -2;
export const LATEST = -1;

export function describePartition(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/** Every (topic, partition, offset) of `offsets`, topics by name, partitions by number. */
export function offsetEntries(offsets: PartitionOffsets): Array<TopicPartition & { offset: number }> {
  const entries: Array<TopicPartition & { offset: number }> = [];
  for (const topic of Object.keys(offsets).sort()) {
    for (const [partition, offset] of Object.entries(offsets[topic])) entries.push({ topic, partition: Number(partition), offset });
  }
  return entries.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

/** Builds the checkpoint form, topics sorted by name (partition keys, being numbers, come out in order). */
export function offsetsOf(entries: Iterable<TopicPartition & { offset: number }>): PartitionOffsets {
  const sorted = [...entries].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  const offsets: PartitionOffsets = {};
  for (const { topic, partition, offset } of sorted) {
    offsets[topic] ??= {};
    offsets[topic][String(partition)] = offset;
  }
  return offsets;
}

export function offsetOf(offsets: PartitionOffsets, tp: TopicPartition): number | undefined {
  return offsets[tp.topic]?.[String(tp.partition)];
}

/** An offset from the checkpoint, checked to have the shape above (a damaged or foreign one is named, not guessed). */
export function asPartitionOffsets(offset: Offset, where: string): PartitionOffsets {
  const bad = () => new Error(`${where}: expected Kafka offsets such as {"topic":{"0":42}}, found ${JSON.stringify(offset)}`);
  if (offset === null || typeof offset !== 'object' || Array.isArray(offset)) throw bad();
  for (const partitions of Object.values(offset)) {
    if (partitions === null || typeof partitions !== 'object' || Array.isArray(partitions)) throw bad();
    for (const [partition, value] of Object.entries(partitions)) {
      if (!/^\d+$/.test(partition) || typeof value !== 'number' || !Number.isInteger(value)) throw bad();
    }
  }
  return offset as PartitionOffsets;
}

/**
 * maxOffsetsPerTrigger, as Spark's KafkaMicroBatchStream.rateLimit: the limit is shared among the partitions in
 * proportion to how far each is behind; a partition that would get less than one offset gets one (not starved), and
 * none goes past its latest offset. `fromNew`: where partitions missing from `from` start (their earliest offset).
 */
export function rateLimit(limit: number, from: PartitionOffsets, until: PartitionOffsets, fromNew: PartitionOffsets): PartitionOffsets {
  const begins = new Map<string, number>();
  const sizes = new Map<string, number>();
  for (const { topic, partition, offset: end } of offsetEntries(until)) {
    const begin = offsetOf(from, { topic, partition }) ?? offsetOf(fromNew, { topic, partition });
    if (begin === undefined) continue;
    const key = `${topic}\u0000${partition}`;
    begins.set(key, begin);
    if (end - begin > 0) sizes.set(key, end - begin);
  }
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  if (total < 1) return until;
  const limited = offsetEntries(until).map(({ topic, partition, offset: end }) => {
    const size = sizes.get(`${topic}\u0000${partition}`);
    if (size === undefined) return { topic, partition, offset: end };
    const prorate = limit * (size / total);
    const share = prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate);
    return { topic, partition, offset: Math.min(end, begins.get(`${topic}\u0000${partition}`)! + share) };
  });
  return offsetsOf(limited);
}

/** The number of offsets between two positions, over the partitions of `until` (new partitions from `fromNew`). */
export function offsetsBetween(from: PartitionOffsets, until: PartitionOffsets, fromNew: PartitionOffsets = {}): number {
  let total = 0;
  for (const entry of offsetEntries(until)) {
    const begin = offsetOf(from, entry) ?? offsetOf(fromNew, entry) ?? entry.offset;
    total += Math.max(0, entry.offset - begin);
  }
  return total;
}
