import { RuntimeError } from '../../core/errors.js';
import {
  describePartition,
  EARLIEST,
  LATEST,
  offsetEntries,
  offsetOf,
  offsetsOf,
  type PartitionOffsets,
  type TopicPartition,
} from './offsets.js';
import type { StartingOffsets } from './options.js';
import type { KafkaReader } from './reader.js';

/**
 * Where a new query starts, as Spark resolves startingOffsets: earliest or latest offsets of every partition now, or
 * the JSON's offsets, which must name every partition (-2: that partition's earliest, -1: its latest). An offset given
 * that no longer exists is found when it is read, and is data loss then.
 */
export async function startingPositions(
  reader: KafkaReader,
  partitions: TopicPartition[],
  starting: StartingOffsets,
): Promise<PartitionOffsets> {
  if (starting === 'earliest' || starting === 'latest') return reader.listOffsets(partitions, starting);
  const given = offsetEntries(starting);
  const named = new Set(given.map(describePartition));
  const have = new Set(partitions.map(describePartition));
  const missing = [...have].filter((p) => !named.has(p));
  const unknown = [...named].filter((p) => !have.has(p));
  if (missing.length || unknown.length) {
    throw new RuntimeError(
      'kafka source: startingOffsets must give an offset for every partition read (use -1 for latest, -2 for earliest)' +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (unknown.length ? `; not among the partitions read: ${unknown.join(', ')}` : ''),
    );
  }
  const earliest = await reader.listOffsets(
    given.filter((e) => e.offset === EARLIEST),
    'earliest',
  );
  const latest = await reader.listOffsets(
    given.filter((e) => e.offset === LATEST),
    'latest',
  );
  return offsetsOf(
    given.map((e) => ({
      ...e,
      offset: e.offset === EARLIEST ? offsetOf(earliest, e)! : e.offset === LATEST ? offsetOf(latest, e)! : e.offset,
    })),
  );
}
