import { randomUUID } from 'node:crypto';
import type { ColumnBatch } from '../../core/columnar/column-batch.js';
import { concatBatches } from '../../core/columnar/concat.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { Offset, Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Source, SourceContext } from '../../core/source.js';
import { GroupClaims } from './group-claims.js';
import { GroupMembership } from './group-membership.js';
import { asGroupBatchOffset, type GroupBatchOffset, groupBatchOffset, type GroupRange, rangesOf } from './group-offsets.js';
import { GroupPlanner } from './group-planner.js';
import type { KafkaSourceConfig } from './source.js';
import { KafkaReader } from './reader.js';
import { kafkaSchema, recordDecoder } from './rows.js';
import { readRangeColumns, readRangeRows, reportDataLoss } from './read-range.js';
import { RangeColumns } from './columns.js';
import { KafkaRetries } from './retries.js';

export interface KafkaGroupSourceConfig extends KafkaSourceConfig {
  group: string;
  sessionTimeoutMs: number;
}

/** Why a job with state cannot run in group mode (build-parts names the operator). */
export const GROUP_STATELESS_ONLY =
  "a kafka source with `group` shares the topic's partitions among processes, and a partition may move to another process at any rebalance, but operator state (groupBy, dropDuplicates, join...) stays in each process's checkpoint: the other process would aggregate without it. Run a stateful job as one process (remove group; scale with more partitions per batch), or split it: a stateless group job writing to a topic, and one stateful job reading that topic";

/**
 * The kafka source in group mode (`group: <name>`): several processes running the same job share the topics'
 * partitions through Kafka's group protocol. Each process has its own checkpoint; the group's committed offsets are
 * where a partition stands when it is assigned (see docs/kafka-source.md, "Consumer groups"):
 *
 * 1. latestOffset plans a batch from the owned partitions' committed offsets (GroupPlanner); offsets/N names its ranges;
 * 2. getBatch claims the ranges in the group (an `intent` in the commit's metadata, fenced by the generation) before
 *    any row reaches the sink, and reads only the ranges it holds; a replay reads the ranges its claims name;
 * 3. commit (after commits/N) moves each held partition's committed offset to the range's end (`done`).
 * A partition whose claim belongs to another member is not read until that member has finished its batch.
 */
export class KafkaGroupSource implements Source {
  readonly replayable = true;
  readonly statelessOnly = GROUP_STATELESS_ONLY;
  readonly description: string;
  readonly schema: Schema;
  private readonly decode: ReturnType<typeof recordDecoder>;
  private reader: KafkaReader | undefined;
  private membership: GroupMembership | undefined;
  private claims: GroupClaims | undefined;
  private planner: GroupPlanner | undefined;
  private retries: KafkaRetries;
  private logger: Logger = silentLogger;
  private member = '';
  /** The batch latestOffset planned last: getBatch of anything else is a replay. */
  private planned: string | undefined;
  /** The ranges the batch being run holds. */
  private held: GroupRange[] = [];
  /** The `done` commit of the last batch, awaited before planning the next one (its failure surfaces there). */
  private finishing: Promise<void> | undefined;
  private settled = false;
  /** The generation whose assignment was last logged. */
  private generation = -1;

  constructor(private readonly config: KafkaGroupSourceConfig) {
    this.schema = kafkaSchema(config.format, config.includeHeaders);
    this.decode = recordDecoder(config.format, config.includeHeaders);
    this.retries = new KafkaRetries(config.connection);
    this.description = `KafkaV2[Subscribe[${(config.strategy.kind === 'subscribe' ? config.strategy.topics : []).join(', ')}], group=${config.group}]`;
  }

  async open(context: SourceContext): Promise<{ metadata?: Offset } | undefined> {
    this.logger = context.logger;
    this.retries.open(context, () => this.reader?.reset());
    const { connection, isolationLevel, maxBytesPerFetch } = this.config;
    const reader = new KafkaReader(connection, isolationLevel, maxBytesPerFetch);
    this.reader = reader;
    const partitions = await this.retries.run('listing the partitions', () => reader.partitions(this.config.strategy));
    const topics = [...new Set(partitions.map((p) => p.topic))];
    this.membership = new GroupMembership(connection, this.config.group, topics, this.config.sessionTimeoutMs);
    await this.retries.run(`joining group ${this.config.group}`, () => this.membership!.join());
    const stored = context.metadata as { member?: unknown } | undefined;
    this.member = typeof stored?.member === 'string' ? stored.member : randomUUID();
    this.claims = new GroupClaims(this.membership, this.member, this.logger, this.config.sessionTimeoutMs);
    this.planner = new GroupPlanner(this.membership, reader, this.member, this.config, this.logger);
    this.logger.info(`kafka source: member ${this.member} of group ${this.config.group}`);
    return stored?.member === undefined ? { metadata: { member: this.member } } : undefined;
  }

  async latestOffset(start: Offset | null): Promise<Offset | null> {
    const last = asGroupBatchOffset(start, 'kafka source: the last committed offset');
    if (!this.settled && last) this.finishing = this.claims!.finish(last.batch, rangesOf(last)); // a restart after commits/N
    this.settled = true;
    await this.finishing;
    this.finishing = undefined;
    const { generation, partitions } = this.membership!.current();
    if (generation !== this.generation) {
      this.generation = generation;
      this.logger.info(`kafka source: group ${this.config.group} generation ${generation}: this member reads ${describe(partitions)}`);
    }
    const ranges = await this.retries.run('planning a batch', () => this.planner!.plan());
    if (ranges.length === 0) return start;
    const next: GroupBatchOffset = groupBatchOffset(this.config.group, this.member, (last?.batch ?? -1) + 1, ranges);
    this.planned = JSON.stringify(next);
    return next as unknown as Offset;
  }

  async getBatch(_start: Offset | null, end: Offset): Promise<Row[]> {
    const perRange = await this.readHeld(end, (reader, range, onDataLoss) => readRangeRows(reader, range, this.decode, onDataLoss));
    return perRange.length === 1 ? perRange[0] : perRange.flat();
  }

  /** The same records as columns (columns.ts), after the same claim. */
  async getColumns(_start: Offset | null, end: Offset): Promise<ColumnBatch> {
    const perRange = await this.readHeld(end, (reader, range, onDataLoss) => readRangeColumns(reader, range, this.schema, onDataLoss));
    return perRange.length === 0 ? RangeColumns.none(this.schema) : concatBatches(perRange);
  }

  /** Claims the batch's ranges in the group, then reads those it holds with `read`, all at once. */
  private async readHeld<T>(
    end: Offset,
    read: (reader: KafkaReader, range: GroupRange, onDataLoss: (message: string) => void) => Promise<T>,
  ): Promise<T[]> {
    const batch = asGroupBatchOffset(end, "kafka source: the batch's end offset")!;
    const replay = JSON.stringify(batch) !== this.planned;
    this.settled = true;
    this.held = await this.retries.run('claiming the batch', () => this.claims!.hold(batch.batch, rangesOf(batch), replay));
    const reader = this.reader!;
    const onDataLoss = (m: string) => reportDataLoss(m, this.config.failOnDataLoss, this.logger);
    return this.retries.run('reading records', () => Promise.all(this.held.map((range) => read(reader, range, onDataLoss))));
  }

  commit(end: Offset): void {
    const batch = asGroupBatchOffset(end, 'kafka source: the committed offset')!;
    const held = this.held;
    this.finishing = this.retries.run('committing to the group', () => this.claims!.finish(batch.batch, held));
    this.finishing.catch(() => undefined); // awaited (and thrown) by the next latestOffset or stop
  }

  /** availableNow: each batch plans from what is there now, and the run stops at the first batch with nothing new. */
  prepareForTriggerAvailableNow(): void {}

  async stop(): Promise<void> {
    const finishing = this.finishing;
    this.finishing = undefined;
    await finishing?.catch((error: unknown) => this.logger.warn(`kafka source: the last batch's group commit failed: ${String(error)}`));
    await this.membership?.close();
    await this.reader?.close();
    this.membership = undefined;
    this.reader = undefined;
  }
}

function describe(partitions: { topic: string; partition: number }[]): string {
  return partitions.length ? partitions.map((p) => `${p.topic}-${p.partition}`).join(', ') : 'none yet';
}
