import {
  Admin,
  type CallbackWithPromise,
  Consumer,
  type ConsumerGroupJoinPayload,
  kGetApi,
  kGetConnection,
  type offsetCommitV8,
} from '@platformatic/kafka';
import { kafkaClientOptions } from '../../connectors/kafka/client-options.js';
import type { KafkaConnectionOptions } from '../../connectors/kafka/connection-options.js';
import { decodeClaim, encodeClaim, type PartitionClaim, type PartitionState, partitionKey } from './group-offsets.js';
import type { TopicPartition } from './offsets.js';

type OffsetCommitRequestTopic = offsetCommitV8.OffsetCommitRequestTopic;

/** The partitions this member was given, with the generation that gave them (they go together). */
export interface Assignment {
  generation: number;
  partitions: TopicPartition[];
}

/** A partition's committed offset and the claim written with it. */
export interface Claim extends TopicPartition {
  offset: number;
  claim: PartitionClaim;
}

type CommitApi = (
  connection: unknown,
  ...args: [string, number, string | null, string | null, OffsetCommitRequestTopic[], CallbackWithPromise<unknown>]
) => void;

/**
 * This process's membership of the consumer group, on @platformatic/kafka's classic group protocol: the client joins,
 * heartbeats and rejoins on a rebalance by itself; the assignment is taken from its join event, where generation and
 * partitions come together. Offsets are committed with metadata (the client's own commit() sends none), through its
 * OffsetCommit API on its own connection to the coordinator; they are read back with the admin's OffsetFetch.
 */
export class GroupMembership {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private assignment: Assignment = { generation: -1, partitions: [] };
  private joined: Promise<void> | undefined;

  constructor(
    options: KafkaConnectionOptions,
    readonly group: string,
    private readonly topics: string[],
    private readonly sessionTimeoutMs: number,
  ) {
    // Group calls retry inside the client (a rebalance answers REBALANCE_IN_PROGRESS until it settles).
    this.consumer = new Consumer({ ...kafkaClientOptions(options, 'source-group'), retries: 10, groupId: group });
    this.admin = new Admin(kafkaClientOptions(options, 'source-group-admin'));
    this.consumer.on('consumer:group:join', (payload: ConsumerGroupJoinPayload) => {
      this.assignment = {
        generation: payload.generationId ?? -1,
        partitions: (payload.assignments ?? []).flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition }))),
      };
    });
  }

  /** Joins the group (once); later calls wait for that first join. */
  async join(): Promise<void> {
    this.joined ??= (async () => {
      this.consumer.topics.trackAll(...this.topics);
      await this.consumer.joinGroup({
        sessionTimeout: this.sessionTimeoutMs,
        rebalanceTimeout: this.sessionTimeoutMs,
        heartbeatInterval: Math.max(100, Math.floor(this.sessionTimeoutMs / 5)),
      });
    })();
    await this.joined;
  }

  /** The partitions owned now and the generation they belong to. */
  current(): Assignment {
    return this.assignment;
  }

  /** Resolves once the client has joined a generation after `generation` (a rebalance finished), or after `timeoutMs`. */
  async nextGeneration(generation: number, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.assignment.generation <= generation && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  }

  /** Committed offset and claim of each partition; a partition never committed has offset null. */
  async states(partitions: TopicPartition[]): Promise<Map<string, PartitionState>> {
    const states = new Map<string, PartitionState>();
    if (partitions.length === 0) return states;
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    const [answer] = await this.admin.listConsumerGroupOffsets({
      groups: [{ groupId: this.group, topics: [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes })) }],
      requireStable: true,
    });
    for (const topic of answer?.topics ?? []) {
      for (const p of topic.partitions) {
        const offset = Number(p.committedOffset);
        states.set(partitionKey({ topic: topic.name, partition: p.partitionIndex }), {
          offset: offset < 0 ? null : offset,
          claim: decodeClaim(p.metadata),
        });
      }
    }
    return states;
  }

  /**
   * Commits offsets and claims as member of `generation` (the current one when omitted). The broker refuses a
   * generation that is over (ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS): the caller decides what that means.
   */
  async commit(claims: Claim[], generation = this.assignment.generation): Promise<void> {
    if (claims.length === 0) return;
    const topics = new Map<string, OffsetCommitRequestTopic>();
    for (const { topic, partition, offset, claim } of claims) {
      const entry = topics.get(topic) ?? { name: topic, partitions: [] };
      entry.partitions.push({
        partitionIndex: partition,
        committedOffset: BigInt(offset),
        committedLeaderEpoch: -1,
        committedMetadata: encodeClaim(claim),
      });
      topics.set(topic, entry);
    }
    const coordinator = await this.consumer.findGroupCoordinator();
    const metadata = await this.consumer.metadata({ topics: this.topics });
    const broker = metadata.brokers.get(coordinator);
    if (!broker) throw new Error(`kafka source: the coordinator of group ${this.group} (node ${coordinator}) is not in the metadata`);
    const internal = this.consumer as unknown as Record<symbol, (...args: unknown[]) => void>;
    const connection = await callback<unknown>((cb) => internal[kGetConnection](broker, cb));
    const api = await callback<CommitApi>((cb) => internal[kGetApi]('OffsetCommit', cb));
    await callback<unknown>((cb) => api(connection, this.group, generation, this.consumer.memberId, null, [...topics.values()], cb));
  }

  /** Leaves the group (its partitions go to the others at once) and closes both clients. */
  async close(): Promise<void> {
    await Promise.allSettled([this.consumer.close(true), this.admin.close()]);
  }
}

function callback<T>(start: (cb: CallbackWithPromise<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    start(((error: Error | null, value: T) => (error ? reject(error) : resolve(value))) as CallbackWithPromise<T>),
  );
}
