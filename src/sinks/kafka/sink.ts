import { Admin, Consumer, ProduceAcks, Producer } from '@platformatic/kafka';
import { kafkaClientOptions } from '../../connectors/kafka/client-options.js';
import { describeKafkaError } from '../../connectors/kafka/errors.js';
import { isFencedKafkaError, isRetriableKafkaError } from '../../connectors/kafka/retriable.js';
import { errorMessage, RuntimeError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { describeRetry, retriesFor, withRetry, type RetryPolicy } from '../../core/retry.js';
import type { Row } from '../../core/row.js';
import type { Sink, SinkContext } from '../../core/sink.js';
import { ensureCommitsTopic } from './commits-topic.js';
import { markerRecord, readMarkers } from './markers.js';
import type { KafkaSinkOptions } from './options.js';
import { requestChunks, toMessages, type KafkaMessage, type RecordPlan } from './records.js';

export interface KafkaSinkConfig {
  options: KafkaSinkOptions;
  plan: RecordPlan;
  retry: RetryPolicy;
  /** Injected by tests (no real waiting). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The `kafka` sink. With `deliveryGuarantee: exactlyOnce` (the default) each batch is one transaction:
 *
 *   open():           InitProducerId(transactional.id = streamlab-<query id>)  -- fences an older process of the query
 *                                                                            -- and ends its open transaction
 *                     read the query's committed markers from the commits topic (read_committed)
 *   foreachBatch(N):  N <= last committed marker: a replay, skip
 *                     BEGIN; produce the rows; produce marker (query id, N) to the commits topic; COMMIT
 *
 * The rows and the marker commit together or not at all, so a crash anywhere (before the commit: the broker aborts
 * the transaction when the restarted process takes the transactional id over; after it: the marker is found) leaves
 * each batch in the topic once for read_committed consumers. A failed or ambiguous commit is retried the same way:
 * take the id over again, look for the marker, write only if it is not there.
 *
 * `atLeastOnce`: an idempotent producer (no duplicates from the client's own retries), no transactions, no markers:
 * a batch replayed after a crash is produced again (Spark's Kafka sink).
 */
export class KafkaSink implements Sink {
  readonly description: string;
  private producer: Producer | undefined;
  private context!: SinkContext;
  private logger: Logger = silentLogger;
  /** exactlyOnce: the last batch id whose marker is committed (-1: none). */
  private lastCommitted = -1;
  /** Rows each committed batch wrote, from its marker: a replay with another count is reported. */
  private committedRows = new Map<number, number>();
  private readonly exactlyOnce: boolean;

  constructor(private readonly config: KafkaSinkConfig) {
    const { options, plan } = config;
    this.exactlyOnce = options.deliveryGuarantee === 'exactlyOnce';
    const where = plan.topic ? `topic=${plan.topic}` : 'topic from the rows';
    this.description = `KafkaSink[${options.bootstrapServers.join(',')}, ${where}, ${options.deliveryGuarantee}]`;
  }

  async open(context: SinkContext): Promise<void> {
    this.context = context;
    this.logger = context.logger;
    await this.retrying('connect', retriesFor(this.config.retry, context), () => this.takeOver());
  }

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    if (rows.length === 0) return; // nothing to write, nothing a replay could duplicate
    const messages = toMessages(rows, this.config.plan, batchId);
    if (!this.exactlyOnce) {
      await this.retrying(`batch ${batchId}`, this.config.retry, async () => {
        const producer = this.connected();
        for (const chunk of requestChunks(messages, this.config.options.maxRequestSize))
          await producer.send({ messages: chunk, autocreateTopics: true });
      });
      return;
    }
    let failed = false;
    await this.retrying(`batch ${batchId}`, this.config.retry, async () => {
      // After a failure the outcome of the last transaction is unknown: take the id over and look again.
      if (failed) await this.takeOver();
      failed = true;
      if (this.isCommitted(batchId, rows.length)) return;
      await this.writeBatch(messages, batchId);
      this.lastCommitted = batchId;
      this.committedRows.set(batchId, rows.length);
    });
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.close().catch(() => undefined);
  }

  private async writeBatch(messages: KafkaMessage[], batchId: number): Promise<void> {
    const { commitsTopic } = this.config.options;
    const topics = [...new Set(messages.map((m) => m.topic))];
    const marker = markerRecord(commitsTopic, { queryId: this.context.queryId, batchId, rows: messages.length, topics });
    const transaction = await this.connected().beginTransaction();
    try {
      for (const chunk of requestChunks([...messages, marker], this.config.options.maxRequestSize)) {
        await transaction.send({ messages: chunk, autocreateTopics: true });
      }
      await transaction.commit();
    } catch (error) {
      if (!transaction.completed) await transaction.abort().catch(() => undefined);
      throw error;
    }
  }

  /** True for a replayed batch: its marker (or a later one) is committed. */
  private isCommitted(batchId: number, rows: number): boolean {
    if (batchId > this.lastCommitted) return false;
    const recorded = this.committedRows.get(batchId);
    this.logger.info(
      `kafka sink: batch ${batchId} was already written (its marker is in ${this.config.options.commitsTopic}, ${recorded ?? '?'} rows); skipped`,
    );
    if (recorded !== undefined && recorded !== rows) {
      this.logger.warn(
        `kafka sink: the replayed batch ${batchId} has ${rows} rows, the recorded one ${recorded}: the source did not replay the same rows`,
      );
    }
    return true;
  }

  /**
   * A new producer on the query's transactional id (exactlyOnce: this fences any older producer of it and ends its
   * transaction), then the committed markers.
   */
  private async takeOver(): Promise<void> {
    await this.close();
    const { options } = this.config;
    const base = kafkaClientOptions(options, 'sink');
    if (!this.exactlyOnce) {
      this.producer = new Producer({ ...base, idempotent: true, acks: ProduceAcks.ALL, autocreateTopics: true });
      await this.producer.metadata({ topics: this.config.plan.topic ? [this.config.plan.topic] : [], autocreateTopics: true });
      return;
    }
    const transactionalId = this.transactionalId();
    // producerId/epoch -1: "no producer yet" (KIP-360). @platformatic/kafka 1.35 sends 0/0 otherwise, which the broker
    // refuses with PRODUCER_FENCED once the transactional id has been used: a restart could never take it over.
    const producer = new Producer({
      ...base,
      idempotent: true,
      acks: ProduceAcks.ALL,
      transactionalId,
      timeout: options.transactionTimeout,
      producerId: -1n,
      producerEpoch: -1,
    });
    this.producer = producer;
    await this.withAdmin((admin) => ensureCommitsTopic(admin, options.commitsTopic));
    // beginTransaction runs InitProducerId; cancel() only drops the empty transaction on this side.
    await (await producer.beginTransaction()).cancel();
    const markers = await this.withConsumer((consumer) =>
      readMarkers(consumer, options.commitsTopic, this.context.queryId, options.transactionTimeout + 10_000),
    );
    this.lastCommitted = Math.max(-1, ...markers.keys());
    for (const [batchId, marker] of markers) this.committedRows.set(batchId, marker.rows);
  }

  private transactionalId(): string {
    return this.config.options.transactionalId ?? `streamlab-${this.context.queryId}`;
  }

  private connected(): Producer {
    if (!this.producer) throw new RuntimeError('kafka sink: foreachBatch before open()');
    return this.producer;
  }

  private async withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = new Admin(kafkaClientOptions(this.config.options, 'sink-admin'));
    try {
      return await use(admin);
    } finally {
      await admin.close().catch(() => undefined);
    }
  }

  private async withConsumer<T>(use: (consumer: Consumer) => Promise<T>): Promise<T> {
    const groupId = `streamlab-sink-${this.context.queryId}`; // never joined: the markers are fetched directly
    const consumer = new Consumer({ ...kafkaClientOptions(this.config.options, 'sink-commits'), groupId });
    try {
      return await use(consumer);
    } finally {
      await consumer.close().catch(() => undefined);
    }
  }

  private retrying<T>(what: string, policy: RetryPolicy, operation: () => Promise<T>): Promise<T> {
    const { options } = this.config;
    return withRetry(operation, policy, {
      isRetriable: isRetriableKafkaError,
      sleep: this.config.sleep,
      onRetry: (error, attempt, delayMs) => {
        this.logger.warn(
          `kafka sink (${options.bootstrapServers.join(',')}): ${what}: ${errorMessage(error)}; ${describeRetry(attempt, delayMs, policy)}`,
        );
      },
    }).catch((error: unknown) => {
      if (isFencedKafkaError(error)) {
        throw new RuntimeError(
          `kafka sink: ${what}: fenced: a newer process of this query took over its transactional id ${this.transactionalId()} on ${options.bootstrapServers.join(',')}, so this one stops without writing (only one process may run a query; the newer one writes this batch)`,
        );
      }
      throw new RuntimeError(describeKafkaError(error, options, `kafka sink: ${what}`));
    });
  }
}
