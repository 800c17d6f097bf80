/**
 * Reads a whole topic back as a consumer with isolation.level=read_committed sees it, with kafkajs (a client other
 * than the sink's, with its own aborted-transaction filter), for tests of the kafka sink.
 *
 * How it knows it has read everything: it first appends a sentinel record (its own key, a fresh value, no
 * transaction) to every partition, then reads until it has met every partition's sentinel. A read_committed reader
 * returns the sentinel only once every transaction before it has ended, so a transaction the sink left open makes
 * the read time out instead of passing with the rows seen so far.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

export interface ReadRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  headers: Array<[string, string]>;
}

export const SENTINEL_KEY = '__streamlab_test_sentinel__';

export function kafkaClient(address: string): Kafka {
  return new Kafka({ clientId: 'streamlab-test-reader', brokers: [address], logLevel: logLevel.NOTHING });
}

/** Creates `topic` with `partitions` partitions (replication 1); an existing topic is an error (names are unique per test). */
export async function createTopic(address: string, topic: string, partitions = 1): Promise<void> {
  const admin = kafkaClient(address).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(address: string, topics: string[]): Promise<void> {
  const admin = kafkaClient(address).admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}

/** Every committed record of `topic`, in partition then offset order (the sentinels left out). */
export function readCommitted(address: string, topic: string, timeoutMs = 60_000): Promise<ReadRecord[]> {
  return readTopic(address, topic, { readUncommitted: false, timeoutMs });
}

/** Every record of `topic` as a reader with the given isolation sees it (read_uncommitted: aborted records too). */
export async function readTopic(
  address: string,
  topic: string,
  options: { readUncommitted: boolean; timeoutMs?: number },
): Promise<ReadRecord[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const kafka = kafkaClient(address);
  const admin = kafka.admin();
  await admin.connect();
  const partitions = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.map((p) => p.partitionId);
  await admin.disconnect();
  const nonce = randomUUID();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages: partitions.map((partition) => ({ partition, key: SENTINEL_KEY, value: nonce })) });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `streamlab-test-reader-${nonce}`, readUncommitted: options.readUncommitted });
  const records: ReadRecord[] = [];
  const waiting = new Set(partitions);
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`${topic}: no sentinel from partitions ${[...waiting].join(', ')} after ${timeoutMs} ms (a transaction left open?)`),
          ),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const key = message.key === null ? null : message.key.toString('utf8');
            const value = message.value === null ? null : message.value.toString('utf8');
            if (key === SENTINEL_KEY) {
              if (value === nonce) waiting.delete(partition);
              if (waiting.size === 0) {
                clearTimeout(timer);
                resolve();
              }
              return;
            }
            const headers = Object.entries(message.headers ?? {}).flatMap(([k, v]) =>
              (Array.isArray(v) ? v : [v]).map((one): [string, string] => [k, one === undefined ? '' : one.toString()]),
            );
            records.push({ topic, partition, offset: Number(message.offset), key, value, headers });
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}
