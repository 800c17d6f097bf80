import type { KafkaConnectionOptions } from '../../connectors/kafka/connection-options.js';
import type { ColumnBatch } from '../../core/columnar/column-batch.js';
import { concatBatches } from '../../core/columnar/concat.js';
import { RuntimeError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { Offset, Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Source, SourceContext } from '../../core/source.js';
import { type OffsetRange, planRanges } from './batch-ranges.js';
import { RangeColumns } from './columns.js';
import { asPartitionOffsets, offsetEntries, rateLimit, type PartitionOffsets } from './offsets.js';
import type { StartingOffsets, TopicStrategy } from './options.js';
import { readRangeColumns, readRangeRows, reportDataLoss } from './read-range.js';
import { KafkaReader } from './reader.js';
import { KafkaRetries } from './retries.js';
import { kafkaSchema, recordDecoder } from './rows.js';
import { startingPositions } from './starting-offsets.js';

export interface KafkaSourceConfig {
  connection: KafkaConnectionOptions;
  strategy: TopicStrategy;
  startingOffsets: StartingOffsets;
  maxOffsetsPerTrigger?: number;
  failOnDataLoss: boolean;
  includeHeaders: boolean;
  format: 'text' | 'bytes';
  isolationLevel: 'read_committed' | 'read_uncommitted';
  maxBytesPerFetch: number;
}

/** Spark's words after a data-loss message, for each setting of failOnDataLoss. */
/**
 * The `kafka` source, after Spark's KafkaMicroBatchStream. Its offset is, per topic and partition, the next offset to
 * read (`{"topic":{"0":42}}`, exactly what Spark writes in offsets/N). The first run decides where it starts from
 * startingOffsets and keeps that in the checkpoint (sources/0/0, as Spark's KafkaSourceInitialOffsetWriter does);
 * later runs read it from there. A batch (start, end] reads, for each partition, the records with start <= offset <
 * end, fetched by offset: the same offsets give the same records, so a replayed batch is exact.
 *
 * Partitions that appear later (more partitions, or a new topic matching subscribePattern) are read from their earliest
 * offset, as Spark does; data that is gone is reported as failOnDataLoss says.
 */
export class KafkaSource implements Source {
  readonly replayable = true;
  readonly description: string;
  readonly schema: Schema;
  private reader: KafkaReader | undefined;
  private initial: PartitionOffsets = {};
  private availableNowTarget: PartitionOffsets | undefined;
  private logger: Logger = silentLogger;
  private readonly retries: KafkaRetries;
  private readonly decode: ReturnType<typeof recordDecoder>;

  constructor(private readonly config: KafkaSourceConfig) {
    this.schema = kafkaSchema(config.format, config.includeHeaders);
    this.decode = recordDecoder(config.format, config.includeHeaders);
    this.retries = new KafkaRetries(config.connection);
    this.description = `KafkaV2[${describeStrategy(config.strategy)}]`;
  }

  async open(context: SourceContext): Promise<{ metadata?: Offset } | undefined> {
    this.logger = context.logger;
    this.retries.open(context, () => this.reader?.reset());
    const { connection, isolationLevel, maxBytesPerFetch } = this.config;
    const reader = new KafkaReader(connection, isolationLevel, maxBytesPerFetch);
    this.reader = reader;
    try {
      const partitions = await this.retrying('listing the partitions', () => reader.partitions(this.config.strategy));
      if (context.metadata !== undefined) {
        this.initial = asPartitionOffsets(context.metadata, "kafka source: the checkpoint's sources/0/0");
        return undefined;
      }
      this.initial = await this.retrying('reading the starting offsets', () =>
        startingPositions(reader, partitions, this.config.startingOffsets),
      );
      this.logger.info(`kafka source: initial offsets ${JSON.stringify(this.initial)}`);
      return { metadata: this.initial };
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async latestOffset(start: Offset | null): Promise<Offset | null> {
    const reader = this.opened();
    const from = start === null ? this.initial : asPartitionOffsets(start, 'kafka source: the last committed offset');
    const latest =
      this.availableNowTarget ??
      (await this.retrying('listing the latest offsets', async () =>
        reader.listOffsets(await reader.partitions(this.config.strategy), 'latest'),
      ));
    let end = latest;
    const limit = this.config.maxOffsetsPerTrigger;
    if (limit !== undefined) {
      const added = offsetEntries(latest).filter((e) => from[e.topic]?.[String(e.partition)] === undefined);
      const fromNew = added.length ? await this.retrying('listing the earliest offsets', () => reader.listOffsets(added, 'earliest')) : {};
      end = rateLimit(limit, from, latest, fromNew);
    }
    if (offsetEntries(end).length === 0) return start;
    if (start === null && JSON.stringify(end) === JSON.stringify(this.initial)) return null;
    return end;
  }

  async getBatch(start: Offset | null, end: Offset): Promise<Row[]> {
    const onDataLoss = (m: string) => this.reportDataLoss(m);
    const perRange = await this.readRanges(start, end, (reader, range) => readRangeRows(reader, range, this.decode, onDataLoss));
    return perRange.length === 1 ? perRange[0] : perRange.flat(); // one partition: no copy of every row
  }

  /** The same records as columns (columns.ts), the ranges' one after another as getBatch's rows. */
  async getColumns(start: Offset | null, end: Offset): Promise<ColumnBatch> {
    const onDataLoss = (m: string) => this.reportDataLoss(m);
    const perRange = await this.readRanges(start, end, (reader, range) => readRangeColumns(reader, range, this.schema, onDataLoss));
    return perRange.length === 0 ? RangeColumns.none(this.schema) : concatBatches(perRange);
  }

  /** Reads each partition's range of (start, end] with `read`, all at once, in the order planRanges gives them. */
  private async readRanges<T>(
    start: Offset | null,
    end: Offset,
    read: (reader: KafkaReader, range: OffsetRange) => Promise<T>,
  ): Promise<T[]> {
    const reader = this.opened();
    const from = start === null ? this.initial : asPartitionOffsets(start, "kafka source: the batch's start offset");
    const until = asPartitionOffsets(end, "kafka source: the batch's end offset");
    const ranges = await this.retrying('planning the batch', () => planRanges(reader, from, until, (m) => this.reportDataLoss(m)));
    return this.retrying('reading records', () => Promise.all(ranges.map((range) => read(reader, range))));
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    const reader = this.opened();
    this.availableNowTarget = await this.retrying('listing the latest offsets', async () =>
      reader.listOffsets(await reader.partitions(this.config.strategy), 'latest'),
    );
  }

  async stop(): Promise<void> {
    const reader = this.reader;
    this.reader = undefined;
    await reader?.close();
  }

  private reportDataLoss(message: string): void {
    reportDataLoss(message, this.config.failOnDataLoss, this.logger);
  }

  /** A Kafka call, retried as the job's maxRetries and backoff say; when it gives up, one line naming the brokers. */
  private retrying<T>(doing: string, operation: () => Promise<T>): Promise<T> {
    return this.retries.run(doing, operation);
  }

  private opened(): KafkaReader {
    if (!this.reader) throw new RuntimeError('kafka source: used before open()');
    return this.reader;
  }
}

/** As Spark's ConsumerStrategy prints itself: Subscribe[a, b], SubscribePattern[x.*], Assign[a-0, a-1]. */
function describeStrategy(strategy: TopicStrategy): string {
  if (strategy.kind === 'subscribe') return `Subscribe[${strategy.topics.join(', ')}]`;
  if (strategy.kind === 'pattern') return `SubscribePattern[${strategy.source}]`;
  const parts = Object.entries(strategy.partitions).flatMap(([t, ps]) => ps.map((p) => `${t}-${p}`));
  return `Assign[${parts.join(', ')}]`;
}
