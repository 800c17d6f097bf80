import type { Logger } from '../../core/logger.js';
import { isRebalance } from './group-claims.js';
import type { GroupMembership } from './group-membership.js';
import { type GroupRange, partitionKey } from './group-offsets.js';
import { offsetEntries, offsetOf, offsetsOf, rateLimit, type TopicPartition } from './offsets.js';
import type { KafkaReader } from './reader.js';

export interface GroupPlanOptions {
  startingOffsets: unknown;
  maxOffsetsPerTrigger?: number;
}

/**
 * What the next batch of this member reads: for each partition it owns, from the group's committed offset to the
 * latest offset now (maxOffsetsPerTrigger shared as Spark shares it). A partition another member still holds a batch
 * of (its claim is there) is left out until that member has finished; a partition the group never committed starts at
 * startingOffsets, and that start is committed at once, so a `latest` start is not moved by later records.
 */
export class GroupPlanner {
  /** Partitions waiting for another member, with that member: logged once per wait. */
  private readonly waiting = new Map<string, string>();

  constructor(
    private readonly membership: GroupMembership,
    private readonly reader: KafkaReader,
    private readonly member: string,
    private readonly options: GroupPlanOptions,
    private readonly logger: Logger,
  ) {}

  async plan(): Promise<GroupRange[]> {
    const { generation, partitions } = this.membership.current();
    if (partitions.length === 0) return [];
    const states = await this.membership.states(partitions);
    const from: Array<TopicPartition & { offset: number }> = [];
    const unset: TopicPartition[] = [];
    for (const tp of partitions) {
      const state = states.get(partitionKey(tp));
      if (state?.claim.kind === 'intent') {
        this.wait(tp, state.claim.member);
        continue;
      }
      this.waiting.delete(partitionKey(tp));
      if (state?.offset == null) unset.push(tp);
      else from.push({ ...tp, offset: state.offset });
    }
    if (unset.length > 0) {
      const which = this.options.startingOffsets === 'latest' ? 'latest' : 'earliest';
      const starts = offsetEntries(await this.reader.listOffsets(unset, which));
      try {
        await this.membership.commit(
          starts.map((s) => ({ ...s, claim: { kind: 'done' } })),
          generation,
        );
      } catch (error) {
        if (isRebalance(error)) return []; // the next trigger plans with the next generation's partitions
        throw error;
      }
      from.push(...starts);
    }
    if (from.length === 0) return [];
    const start = offsetsOf(from);
    const latest = await this.reader.listOffsets(from, 'latest');
    const limit = this.options.maxOffsetsPerTrigger;
    const end = limit === undefined ? latest : rateLimit(limit, start, latest, {});
    return offsetEntries(end)
      .map(({ topic, partition, offset }) => ({ topic, partition, from: offsetOf(start, { topic, partition })!, until: offset }))
      .filter((r) => r.until > r.from);
  }

  private wait(tp: TopicPartition, holder: string): void {
    const key = partitionKey(tp);
    if (this.waiting.get(key) === holder) return;
    this.waiting.set(key, holder);
    const who = holder === this.member ? 'this member (an unfinished batch of an earlier run)' : `member ${holder}`;
    this.logger.warn(
      `kafka source: ${tp.topic}-${tp.partition} waits: ${who} holds a batch of it that is not committed yet; it is read once that batch is (a member killed mid-batch must be restarted on its checkpoint to finish it)`,
    );
  }
}
