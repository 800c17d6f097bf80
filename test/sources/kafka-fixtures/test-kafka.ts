/**
 * The Kafka of `npm run services -- up kafka` as the kafka source's tests use it, through kafkajs (another client than
 * the one under test): topics with names of their own (prefixed kafka-source-, so other engineers' tests on the same
 * broker never meet them), records produced with known keys, values, headers and timestamps, records deleted (as
 * retention deletes them) and partitions added.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { randomBytes } from 'node:crypto';
import { Admin as PlatformaticAdmin } from '@platformatic/kafka';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';

export interface TestRecord {
  partition: number;
  key?: string | null;
  value: string | null;
  headers?: Record<string, string>;
  timestamp?: number;
}

export class TestKafka {
  private readonly kafka: Kafka;
  private admin: Admin | undefined;
  private producer: Producer | undefined;
  private readonly created: string[] = [];

  constructor(readonly address: string) {
    this.kafka = new Kafka({ clientId: 'kafka-source-test', brokers: [address], logLevel: logLevel.NOTHING });
  }

  /** A new topic named kafka-source-<name>-<random>, with `partitions` partitions, deleted by close(). */
  async topic(name: string, partitions: number): Promise<string> {
    const topic = `kafka-source-${name}-${randomBytes(4).toString('hex')}`;
    await (await this.connected()).admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    this.created.push(topic);
    return topic;
  }

  /** Produces the records in order, one request, acknowledged by the broker (offsets follow the order per partition). */
  async produce(topic: string, records: TestRecord[]): Promise<void> {
    await (await this.connected()).producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({
        partition: r.partition,
        key: r.key ?? null,
        value: r.value,
        headers: r.headers,
        timestamp: r.timestamp === undefined ? undefined : String(r.timestamp),
      })),
    });
  }

  /**
   * Deletes the records before `offset` of one partition, as retention would. Through @platformatic/kafka: kafkajs
   * 2.2.4's deleteTopicRecords fails against Kafka 3.9.
   */
  async deleteBefore(topic: string, partition: number, offset: number): Promise<void> {
    const admin = new PlatformaticAdmin({ clientId: 'kafka-source-test-admin', bootstrapBrokers: [this.address] });
    try {
      await admin.deleteRecords({ topics: [{ name: topic, partitions: [{ partition, offset: BigInt(offset) }] }] });
    } finally {
      await admin.close();
    }
  }

  async addPartitions(topic: string, count: number): Promise<void> {
    const { admin, producer } = await this.connected();
    await admin.createPartitions({ topicPartitions: [{ topic, count }] });
    // kafkajs sends to the partitions its metadata knows: refresh it until the new ones show.
    for (let attempt = 0; attempt < 100; attempt++) {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      if (metadata.topics[0].partitions.length >= count) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await producer.disconnect();
    this.producer = undefined;
  }

  async topics(): Promise<string[]> {
    return (await this.connected()).admin.listTopics();
  }

  async close(): Promise<void> {
    if (this.admin && this.created.length) await this.admin.deleteTopics({ topics: this.created }).catch(() => undefined);
    await Promise.allSettled([this.producer?.disconnect(), this.admin?.disconnect()]);
  }

  private async connected(): Promise<{ admin: Admin; producer: Producer }> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    if (!this.producer) {
      this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
      await this.producer.connect();
    }
    return { admin: this.admin, producer: this.producer };
  }
}
