import { type Broker, type ConnectionPool, fetchV13 } from '@platformatic/kafka';
import { FETCH_API_KEY, FETCH_VERSION, type FetchedPartition, parseFetchResponse } from './fetch-response.js';

/** What one fetch of one partition asks for. */
export interface PartitionFetch {
  broker: Broker;
  topicId: string;
  partition: number;
  offset: number;
  maxBytes: number;
  /** 0 read_uncommitted, 1 read_committed. */
  isolationLevel: number;
  maxWaitMs: number;
}

/**
 * One Fetch request for one partition, sent on a connection of `pool` (the consumer's: same brokers, TLS and SASL),
 * answered with the partition's record batches as bytes (fetch-response.ts). Metadata, offsets and groups stay with
 * the client; only the fetch is ours, so the records can be decoded without the client's per-record objects.
 */
export async function fetchPartition(pool: ConnectionPool, request: PartitionFetch): Promise<FetchedPartition | undefined> {
  const connection = await pool.get(request.broker);
  const topics = [
    {
      topicId: request.topicId,
      partitions: [
        {
          partition: request.partition,
          currentLeaderEpoch: -1,
          fetchOffset: BigInt(request.offset),
          lastFetchedEpoch: -1,
          partitionMaxBytes: request.maxBytes,
        },
      ],
    },
  ];
  const partitions = await new Promise<FetchedPartition[]>((resolve, reject) => {
    connection.send(
      FETCH_API_KEY,
      FETCH_VERSION,
      // No fetch session (id 0, epoch -1: a full fetch each time, as the client's own fetch() does).
      () => fetchV13.createRequest(request.maxWaitMs, 1, request.maxBytes, request.isolationLevel, 0, -1, topics, [], ''),
      parseFetchResponse,
      true,
      true,
      (error, answer) => (error ? reject(error) : resolve(answer ?? [])),
    );
  });
  return partitions.find((p) => p.partitionIndex === request.partition);
}
