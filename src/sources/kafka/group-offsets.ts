import type { Offset } from '../../core/row.js';
import type { TopicPartition } from './offsets.js';

/**
 * In group mode a batch's offset (offsets/N) names its ranges in full, `{"group":"g","member":"m","batch":7,
 * "ranges":{"t":{"0":[100,200]}}}`, instead of Spark's end offsets alone: the partitions a process reads change with
 * every rebalance, so a batch's start is not the previous batch's end. `batch` numbers this process's batches; with
 * `member` (kept in the checkpoint) it names the batch in the group's committed metadata.
 */
export interface GroupBatchOffset {
  group: string;
  member: string;
  batch: number;
  ranges: Record<string, Record<string, [number, number]>>;
}

export interface GroupRange extends TopicPartition {
  from: number;
  until: number;
}

export function groupBatchOffset(group: string, member: string, batch: number, ranges: GroupRange[]): GroupBatchOffset {
  const sorted = [...ranges].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  const byTopic: GroupBatchOffset['ranges'] = {};
  for (const r of sorted) {
    byTopic[r.topic] ??= {};
    byTopic[r.topic][String(r.partition)] = [r.from, r.until];
  }
  return { group, member, batch, ranges: byTopic };
}

export function rangesOf(offset: GroupBatchOffset): GroupRange[] {
  return Object.entries(offset.ranges).flatMap(([topic, parts]) =>
    Object.entries(parts).map(([partition, [from, until]]) => ({ topic, partition: Number(partition), from, until })),
  );
}

/** An offset from the checkpoint, checked to be a group batch (a checkpoint of a job without `group` is named). */
export function asGroupBatchOffset(offset: Offset | null, where: string): GroupBatchOffset | null {
  if (offset === null) return null;
  const o = offset as Partial<GroupBatchOffset>;
  const ok =
    typeof o === 'object' &&
    typeof o.group === 'string' &&
    typeof o.member === 'string' &&
    Number.isInteger(o.batch) &&
    typeof o.ranges === 'object' &&
    o.ranges !== null;
  if (!ok) {
    throw new Error(
      `${where}: expected a group batch such as {"group":"g","member":"m","batch":0,"ranges":{"t":{"0":[0,10]}}}, found ${JSON.stringify(offset)} (a checkpoint written without group: use a new checkpointLocation)`,
    );
  }
  return o as GroupBatchOffset;
}

/**
 * What a partition's committed metadata says, written by this source: `intent` while a member's batch holds the
 * records [offset, until) (written before the batch reaches the sink), `done` once that batch's commits/N is written.
 * Anything else (another tool's commit, none) counts as done.
 */
export type PartitionClaim = { kind: 'intent'; member: string; batch: number; until: number } | { kind: 'done' };

const PREFIX = 'streamlab:';

export function encodeClaim(claim: PartitionClaim): string {
  return PREFIX + JSON.stringify(claim);
}

export function decodeClaim(metadata: string | null | undefined): PartitionClaim {
  if (!metadata?.startsWith(PREFIX)) return { kind: 'done' };
  try {
    const claim = JSON.parse(metadata.slice(PREFIX.length)) as PartitionClaim;
    return claim.kind === 'intent' ? claim : { kind: 'done' };
  } catch {
    return { kind: 'done' };
  }
}

/** The state of one partition in the group: its committed offset (null: none yet) and who holds records after it. */
export interface PartitionState {
  offset: number | null;
  claim: PartitionClaim;
}

export function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}
