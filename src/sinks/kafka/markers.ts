import { FetchIsolationLevels, ListOffsetTimestamps, type Consumer } from '@platformatic/kafka';
import { committedRecords } from '../../connectors/kafka/committed-records.js';
import { RuntimeError } from '../../core/errors.js';

/** The record each exactly-once batch writes to the commits topic, in the batch's own transaction (key: query id). */
export interface BatchMarker {
  queryId: string;
  batchId: number;
  /** Rows the batch wrote, and where: for people reading the topic, and to warn when a replay differs. */
  rows: number;
  topics: string[];
}

/** Markers go to partition 0, so one fetch loop over one partition finds all of them. */
export const MARKER_PARTITION = 0;

export function markerRecord(commitsTopic: string, marker: BatchMarker) {
  return {
    topic: commitsTopic,
    partition: MARKER_PARTITION,
    key: Buffer.from(marker.queryId, 'utf8'),
    value: Buffer.from(JSON.stringify(marker), 'utf8'),
  };
}

/**
 * The committed markers of one query, by batch id, read with read_committed from the start of the commits topic to
 * the high watermark seen at the start. Called right after this process's producer took over the transactional id,
 * which made the broker finish the previous owner's transaction (commit it if it was committing, else abort it):
 * every marker that will ever commit for this query is then below that high watermark. Another query's open
 * transaction may hold the last stable offset below it for a moment; the loop waits for it, up to `waitMs`.
 */
export async function readMarkers(
  consumer: Consumer,
  commitsTopic: string,
  queryId: string,
  waitMs: number,
): Promise<Map<number, BatchMarker>> {
  const metadata = await consumer.metadata({ topics: [commitsTopic], forceUpdate: true });
  const topic = metadata.topics.get(commitsTopic)!;
  const leader = topic.partitions[MARKER_PARTITION].leader;
  const earliest = await consumer.listOffsets({ topics: [commitsTopic], timestamp: ListOffsetTimestamps.EARLIEST });
  const latest = await consumer.listOffsets({ topics: [commitsTopic], isolationLevel: FetchIsolationLevels.READ_UNCOMMITTED });
  const end = latest.get(commitsTopic)![MARKER_PARTITION];
  let offset = earliest.get(commitsTopic)![MARKER_PARTITION];
  const markers = new Map<number, BatchMarker>();
  const deadline = Date.now() + waitMs;
  while (offset < end) {
    const response = await consumer.fetch({
      node: leader,
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      maxWaitTime: 200,
      topics: [
        {
          topicId: topic.id,
          partitions: [
            { partition: MARKER_PARTITION, fetchOffset: offset, currentLeaderEpoch: -1, lastFetchedEpoch: -1, partitionMaxBytes: 4 << 20 },
          ],
        },
      ],
    });
    const partition = response.responses[0]?.partitions[0];
    const batches = partition?.records ?? [];
    for (const { record } of committedRecords(batches, partition?.abortedTransactions ?? [])) {
      if (record.key?.toString('utf8') !== queryId || !record.value) continue;
      const marker = JSON.parse(record.value.toString('utf8')) as BatchMarker;
      markers.set(marker.batchId, marker);
    }
    const last = batches.at(-1);
    if (last) offset = last.firstOffset + BigInt(last.lastOffsetDelta) + 1n;
    else if (Date.now() > deadline) {
      throw new RuntimeError(
        `kafka sink: the commits topic ${commitsTopic} stays blocked at offset ${offset} (below ${end}) by an open transaction of another writer; waited ${Math.round(waitMs / 1000)} s. It ends when that writer commits, or when its transaction times out`,
      );
    }
  }
  return markers;
}
