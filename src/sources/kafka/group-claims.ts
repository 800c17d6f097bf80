import type { Logger } from '../../core/logger.js';
import type { Claim, GroupMembership } from './group-membership.js';
import { type GroupRange, type PartitionClaim, partitionKey } from './group-offsets.js';

/** Attempts at a claim or finish commit across rebalances before the error is the batch's. */
const REBALANCE_ATTEMPTS = 6;
const REBALANCE_ANSWERS = new Set(['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);

/**
 * The claims that make a batch's ranges this member's alone, written in the group's committed metadata (see
 * KafkaGroupSource): `hold` claims a batch's ranges before its rows are read (the commit is fenced by the generation
 * the assignment came with, so a member whose partitions were given away cannot claim them), and `finish` moves the
 * committed offset past a batch once its commits/N is written. A claim commit refused because the group is
 * rebalancing is tried again with the next generation's assignment.
 */
export class GroupClaims {
  constructor(
    private readonly membership: GroupMembership,
    private readonly member: string,
    private readonly logger: Logger,
    private readonly sessionTimeoutMs: number,
  ) {}

  /**
   * The ranges of batch `batch` this member holds: those its claims already name, and (first run only) those of
   * partitions it owns whose committed offset is still the range's start, claimed now. A replay claims nothing new:
   * what was not claimed before the crash never reached the sink, and stays for whoever owns the partition.
   */
  async hold(batch: number, ranges: GroupRange[], replay: boolean): Promise<GroupRange[]> {
    for (let attempt = 1; ; attempt++) {
      const { generation, partitions } = this.membership.current();
      const owned = new Set(partitions.map(partitionKey));
      const states = await this.membership.states(ranges);
      const held: GroupRange[] = [];
      const claim: GroupRange[] = [];
      const left: GroupRange[] = [];
      for (const range of ranges) {
        const state = states.get(partitionKey(range));
        if (state && this.isMine(state.claim, batch)) held.push(range);
        else if (!replay && owned.has(partitionKey(range)) && state?.claim.kind === 'done' && state.offset === range.from)
          claim.push(range);
        else left.push(range);
      }
      const intents: Claim[] = claim.map((r) => ({
        topic: r.topic,
        partition: r.partition,
        offset: r.from,
        claim: { kind: 'intent', member: this.member, batch, until: r.until },
      }));
      try {
        await this.membership.commit(intents, generation);
      } catch (error) {
        if (!isRebalance(error) || attempt >= REBALANCE_ATTEMPTS) throw error;
        await this.membership.nextGeneration(generation, 2 * this.sessionTimeoutMs);
        continue;
      }
      if (left.length > 0) {
        this.logger.info(
          `kafka source: batch ${batch} leaves out ${left.map(describe).join(', ')}: ${replay ? 'never claimed before the restart' : 'given to another member, or moved on meanwhile'}`,
        );
      }
      return [...held, ...claim];
    }
  }

  /** After commits/N: each range still claimed by this batch is committed at its end, unclaimed. */
  async finish(batch: number, ranges: GroupRange[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const generation = this.membership.current().generation;
      const states = await this.membership.states(ranges);
      const done: Claim[] = ranges
        .filter((r) => {
          const state = states.get(partitionKey(r));
          return state !== undefined && this.isMine(state.claim, batch);
        })
        .map((r) => ({ topic: r.topic, partition: r.partition, offset: r.until, claim: { kind: 'done' } }));
      try {
        await this.membership.commit(done, generation);
        return;
      } catch (error) {
        if (!isRebalance(error) || attempt >= REBALANCE_ATTEMPTS) throw error;
        await this.membership.nextGeneration(generation, 2 * this.sessionTimeoutMs);
      }
    }
  }

  private isMine(claim: PartitionClaim, batch: number): boolean {
    return claim.kind === 'intent' && claim.member === this.member && claim.batch === batch;
  }
}

/** The group moved on (a rebalance, or this member was dropped): the client rejoins, the commit can be tried again. */
export function isRebalance(error: unknown): boolean {
  const e = error as { findBy?: (key: string, value: unknown) => unknown } | undefined;
  if (typeof e?.findBy !== 'function') return false;
  return [...REBALANCE_ANSWERS].some((apiId) => e.findBy!('apiId', apiId));
}

function describe(r: GroupRange): string {
  return `${r.topic}-${r.partition} [${r.from}, ${r.until})`;
}
