import { Admin, Consumer, type ClusterMetadata } from '@platformatic/kafka';
import { kafkaClientOptions } from '../../connectors/kafka/client-options.js';
import type { KafkaConnectionOptions } from '../../connectors/kafka/connection-options.js';
import { RuntimeError } from '../../core/errors.js';
import { type AbortedTransaction, committedBatches } from './decode-committed.js';
import { type RecordBatch, splitBatches } from './decode-record-batch.js';
import { emptyView, type RecordViewVisitor, visitRecords } from './decode-records.js';
import { fetchPartition } from './fetch-partition.js';
import type { FetchedPartition } from './fetch-response.js';
import { describePartition, offsetsOf, type PartitionOffsets, type TopicPartition } from './offsets.js';
import type { TopicStrategy } from './options.js';
import { isOffsetOutOfRange } from './retriable.js';

/** Kafka's isolation levels as the protocol numbers them. */
const ISOLATION = { read_uncommitted: 0, read_committed: 1 } as const;
/** Empty answers in a row, while the log says records are there, before the read is given up as stuck. */
const MAX_EMPTY_FETCHES = 20;

/** The offset after the last one the fetched batches cover (control batches and aborted records included). */
function endOf(batches: RecordBatch[]): number {
  const last = batches.at(-1);
  return last ? last.baseOffset + last.lastOffsetDelta + 1 : -1;
}

/**
 * Visits the records with from <= offset < until of the batches read_committed may see (decode-committed.ts: Java's
 * rule, every aborted transaction of a producer honoured; under read_uncommitted only control batches are left out).
 */
function visitRange(
  batches: RecordBatch[],
  aborted: AbortedTransaction[],
  from: number,
  until: number,
  where: string,
  visit: RecordVisitor,
): void {
  const view = emptyView();
  for (const batch of committedBatches(batches, aborted, where)) {
    if (batch.baseOffset + batch.lastOffsetDelta < from) continue;
    if (!visitRecords(batch, from, until, where, view, visit)) return;
  }
}

/** Called for each record read with a view of it (decode-records.ts), valid only during the call. */
export type RecordVisitor = RecordViewVisitor;

/**
 * What the kafka source asks of the cluster, on @platformatic/kafka: which partitions the topics have (Spark's
 * ConsumerStrategy), their earliest and latest offsets (Spark's KafkaOffsetReaderAdmin), and the records of an offset
 * range of one partition (Spark's KafkaDataConsumer), fetched by offset with no consumer group, so the same range
 * always gives the same records. Data loss (records of the range that are gone) is reported to `onDataLoss`, which
 * throws or warns as failOnDataLoss says.
 */
export class KafkaReader {
  private admin: Admin;
  private consumer: Consumer;
  private readonly isolation: number;

  constructor(
    private readonly options: KafkaConnectionOptions,
    isolationLevel: keyof typeof ISOLATION,
    private readonly maxBytes: number,
  ) {
    [this.admin, this.consumer] = this.clients();
    this.isolation = ISOLATION[isolationLevel];
  }

  /**
   * New clients in place of the old ones, before a retry (as Spark's resetAdmin): a client whose broker went away
   * and came back may keep failing on the connections it had.
   */
  async reset(): Promise<void> {
    const old = [this.admin, this.consumer] as const;
    [this.admin, this.consumer] = this.clients();
    await Promise.allSettled([old[1].close(true), old[0].close()]);
  }

  private clients(): [Admin, Consumer] {
    return [
      new Admin(kafkaClientOptions(this.options, 'source-admin')),
      // groupId is required by the client; no group is joined: records are fetched by offset.
      new Consumer({ ...kafkaClientOptions(this.options, 'source'), groupId: `${this.options.clientId}-source-unused` }),
    ];
  }

  /** The topic-partitions the strategy names now, sorted; a subscribed or assigned topic that does not exist is an error. */
  async partitions(strategy: TopicStrategy): Promise<TopicPartition[]> {
    const topics =
      strategy.kind === 'subscribe'
        ? strategy.topics
        : strategy.kind === 'assign'
          ? Object.keys(strategy.partitions)
          : (await this.admin.listTopics({ includeInternals: false })).filter((t) => strategy.pattern.test(t)).sort();
    if (topics.length === 0) return [];
    const metadata = await this.metadata(topics, true);
    const found: TopicPartition[] = [];
    for (const topic of [...topics].sort()) {
      const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
      const wanted = strategy.kind === 'assign' ? strategy.partitions[topic] : Array.from({ length: count }, (_, i) => i);
      for (const partition of wanted) {
        if (strategy.kind === 'assign' && partition >= count) {
          throw new RuntimeError(`kafka source: assign names ${topic}-${partition}, but topic ${topic} has ${count} partitions`);
        }
        found.push({ topic, partition });
      }
    }
    return found;
  }

  /** The earliest (log start) or latest offsets of `partitions`; latest under read_committed is the last stable offset. */
  async listOffsets(partitions: TopicPartition[], which: 'earliest' | 'latest'): Promise<PartitionOffsets> {
    if (partitions.length === 0) return {};
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    const timestamp = which === 'earliest' ? -2n : -1n;
    const listed = await this.admin.listOffsets({
      isolationLevel: this.isolation as 0 | 1,
      topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps.map((partitionIndex) => ({ partitionIndex, timestamp })) })),
    });
    return offsetsOf(
      listed.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: Number(p.offset) }))),
    );
  }

  /**
   * Every record of `tp` with from <= offset < until, in offset order. Records of aborted transactions (read_committed)
   * and transaction markers take offsets but are not records: they are skipped, as Spark skips them. The next fetch
   * is sent before the records of the last one are visited, so the broker reads while this process decodes.
   */
  async read(tp: TopicPartition, from: number, until: number, visit: RecordVisitor, onDataLoss: (message: string) => void): Promise<void> {
    let position = from;
    let empty = 0;
    let next = this.fetchFrom(tp, position);
    while (position < until) {
      const answer = await next;
      if (answer === 'gone') {
        onDataLoss(`${describePartition(tp)} is gone (topic deleted?): records [${position}, ${until}) cannot be read`);
        return;
      }
      if (answer === 'outOfRange') {
        position = await this.skipLost(tp, position, until, onDataLoss);
        next = this.fetchFrom(tp, position);
        continue;
      }
      const part = answer; // undefined: the broker's answer did not name the partition
      const batches = part ? splitBatches(part.records, describePartition(tp)) : [];
      const before = position;
      position = Math.max(position, Math.min(endOf(batches), until));
      if (position < until) next = this.fetchFrom(tp, position);
      if (position > before) {
        empty = 0;
        visitRange(batches, part?.abortedTransactions ?? [], before, position, describePartition(tp), visit);
        continue;
      }
      const logEnd = Number(this.isolation === ISOLATION.read_committed ? part?.lastStableOffset : part?.highWatermark);
      if (part && logEnd <= position) {
        onDataLoss(
          `${describePartition(tp)} ends at offset ${logEnd} now: records [${position}, ${until}) are gone (topic deleted and created again?)`,
        );
        return;
      }
      if (++empty > MAX_EMPTY_FETCHES) {
        throw new RuntimeError(
          `kafka source: ${describePartition(tp)} returned no record at offset ${position} in ${MAX_EMPTY_FETCHES} fetches, though its log goes to ${logEnd}`,
        );
      }
    }
  }

  /**
   * One fetch of `tp` from `position`: the answer, 'gone' when the partition has no leader (topic deleted), or
   * 'outOfRange' when the offset is not in the log. A fetch sent ahead and never awaited (the read failed meanwhile)
   * must not become an unhandled rejection, hence the catch on a branch of it.
   */
  private fetchFrom(tp: TopicPartition, position: number): Promise<FetchedPartition | undefined | 'gone' | 'outOfRange'> {
    const answer = (async () => {
      const metadata = await this.metadata([tp.topic], false);
      const topic = metadata.topics.get(tp.topic);
      const leader = topic?.partitions[tp.partition]?.leader;
      if (!topic || leader === undefined) return 'gone' as const;
      const broker = metadata.brokers.get(leader);
      if (!broker)
        throw new RuntimeError(`kafka source: the leader of ${describePartition(tp)}, broker ${leader}, is not in the cluster's metadata`);
      try {
        return await fetchPartition(this.consumer.connections, {
          broker,
          topicId: topic.id,
          partition: tp.partition,
          offset: position,
          maxBytes: this.maxBytes,
          isolationLevel: this.isolation,
          maxWaitMs: 500,
        });
      } catch (error) {
        if (!isOffsetOutOfRange(error)) throw error;
        return 'outOfRange' as const;
      }
    })();
    answer.catch(() => undefined);
    return answer;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.consumer.close(true), this.admin.close()]);
  }

  /** Offsets [position, log start) were deleted (retention, deleteRecords): report them, go on at the log start. */
  private async skipLost(tp: TopicPartition, position: number, until: number, onDataLoss: (message: string) => void): Promise<number> {
    const earliest = (await this.listOffsets([tp], 'earliest'))[tp.topic]?.[String(tp.partition)] ?? until;
    const resume = earliest > position ? Math.min(earliest, until) : until;
    onDataLoss(`cannot read offsets [${position}, ${resume}) of ${describePartition(tp)}: its log starts at ${earliest} now`);
    return resume;
  }

  private async metadata(topics: string[], fresh: boolean): Promise<ClusterMetadata> {
    try {
      return await this.admin.metadata({ topics, autocreateTopics: false, forceUpdate: fresh });
    } catch (error) {
      const missing = topics.filter((t) => (error as Error).message?.includes(t));
      if (missing.length && /unknown topic/i.test(String((error as Error).message))) {
        throw new RuntimeError(
          `kafka source: topic ${missing.join(', ')} does not exist on ${this.options.bootstrapServers.join(',')} (the source never creates topics: create it, or fix subscribe/assign)`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}
