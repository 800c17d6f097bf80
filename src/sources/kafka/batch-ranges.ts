import { describePartition, offsetEntries, offsetOf, type PartitionOffsets } from './offsets.js';
import type { KafkaReader } from './reader.js';

/** The records of one partition a batch reads: from <= offset < until. */
export interface OffsetRange {
  topic: string;
  partition: number;
  from: number;
  until: number;
}

/**
 * Spark's getOffsetRangesFromResolvedOffsets: the ranges of a batch from its start and end offsets. A partition in
 * `until` but not in `from` is new: it is read from its earliest offset (data loss if that is not 0: records were
 * written and deleted before the query saw the partition). A partition in `from` but not in `until` is gone; an end
 * before its start means the offsets went back (topic deleted and created again). Each of these is data loss.
 */
export async function planRanges(
  reader: KafkaReader,
  from: PartitionOffsets,
  until: PartitionOffsets,
  reportDataLoss: (message: string) => void,
): Promise<OffsetRange[]> {
  const added = offsetEntries(until).filter((e) => offsetOf(from, e) === undefined);
  const addedStart = added.length ? await reader.listOffsets(added, 'earliest') : {};
  for (const tp of added) {
    const earliest = offsetOf(addedStart, tp);
    if (earliest === undefined) reportDataLoss(`cannot find the earliest offset of the new partition ${describePartition(tp)}`);
    else if (earliest !== 0) reportDataLoss(`added partition ${describePartition(tp)} starts from ${earliest} instead of 0`);
  }
  const gone = offsetEntries(from).filter((e) => offsetOf(until, e) === undefined);
  if (gone.length) reportDataLoss(`${gone.map(describePartition).join(', ')} ${gone.length === 1 ? 'is' : 'are'} gone`);
  const ranges: OffsetRange[] = [];
  for (const { topic, partition, offset: end } of offsetEntries(until)) {
    const start = offsetOf(from, { topic, partition }) ?? offsetOf(addedStart, { topic, partition });
    if (start === undefined) continue;
    if (end < start) {
      reportDataLoss(`partition ${describePartition({ topic, partition })}'s offset was changed from ${start} to ${end}`);
      continue;
    }
    if (end > start) ranges.push({ topic, partition, from: start, until: end });
  }
  return ranges;
}
