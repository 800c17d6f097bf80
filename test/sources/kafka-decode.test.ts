/**
 * The kafka source's own record-batch decoder (src/sources/kafka/decode-*.ts, fetch-*.ts) on batches written by three
 * producers to the real broker: @platformatic/kafka (none, gzip, snappy, lz4; keys, headers, null values, given
 * timestamps), kafkajs (transactions committed and aborted: control batches, gzip inside a transaction) and Kafka's
 * own Java producer (VerifiableProducer: gzip, snappy in xerial's framing, lz4, and zstd, which Node 20 cannot
 * decompress). The partition is then read raw (one Fetch) and decoded, and every record is compared, field by field,
 * with what Kafka's Java consumer (ConsoleConsumer) prints for the same partition, read_committed and
 * read_uncommitted. A batch whose bytes were changed must fail its CRC check, naming partition and offset.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { Admin, Consumer, Producer, stringSerializers } from '@platformatic/kafka';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { committedBatches } from '../../src/sources/kafka/decode-committed.js';
import { ATTRIBUTE, splitBatches } from '../../src/sources/kafka/decode-record-batch.js';
import { emptyView, recordHeaders, visitRecords } from '../../src/sources/kafka/decode-records.js';
import { fetchPartition } from '../../src/sources/kafka/fetch-partition.js';
import type { FetchedPartition } from '../../src/sources/kafka/fetch-response.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { service } from '../support/services.js';
import { JavaKafkaTools } from './kafka-fixtures/java-tools.js';

const kafka = service('kafka');
const run = randomBytes(4).toString('hex');
const topic = `kafka-decode-${run}`;
const zstdTopic = `kafka-decode-zstd-${run}`;
const BASE_TIME = 1_700_000_000_000;
/** Java's codecs; VerifiableProducer's values are `<i + 1>.<n>` for JAVA_CODECS[i]. */
const JAVA_CODECS = ['gzip', 'snappy', 'lz4'] as const;
const JAVA_COUNT = 40;

describeOrSkip("kafka source: record batches decoded as Kafka's Java consumer reads them", { skip: kafka.skip, timeout: 300_000 }, () => {
  let admin: Admin;
  let consumer: Consumer;
  let java: JavaKafkaTools;

  before(async () => {
    admin = new Admin({ clientId: 'kafka-decode-test', bootstrapBrokers: [kafka.address] });
    consumer = new Consumer({ clientId: 'kafka-decode-test', groupId: `kafka-decode-unused-${run}`, bootstrapBrokers: [kafka.address] });
    java = new JavaKafkaTools(kafka.address);
    await admin.createTopics({ topics: [topic, zstdTopic], partitions: 1, replicas: 1 });
    await producePlatformatic();
    await produceTransactions();
    for (const [i, codec] of JAVA_CODECS.entries()) {
      await java.produce(topic, { count: JAVA_COUNT, prefix: i + 1, keys: 7, createTime: BASE_TIME + 10_000 * (i + 1), codec });
    }
    await java.produce(zstdTopic, { count: 5, prefix: 9, keys: 2, createTime: BASE_TIME, codec: 'zstd' });
  });

  after(async () => {
    await admin.deleteTopics({ topics: [topic, zstdTopic] }).catch(() => undefined);
    await Promise.allSettled([admin.close(), consumer.close(true)]);
    java.close();
  });

  it('reads every record read_committed exactly as the Java consumer does: no aborted record, no control record', async () => {
    const ours = decodeAll(await fetchAll(topic, 1), 'read_committed');
    const theirs = await java.consume(topic, 'read_committed', ours.length);
    assert.equal(ours.length, 15 + 3 + 2 + JAVA_CODECS.length * JAVA_COUNT);
    assert.deepEqual(ours, theirs);
    assert.ok(!ours.some((line) => line.includes('aborted-')), 'no record of the aborted transaction');
    assert.ok(ours.some((line) => line.endsWith('\tcommitted-2')) && ours.some((line) => line.endsWith('\t2.39')));
  });

  it('reads read_uncommitted as the Java consumer does: the aborted records too, control records still not', async () => {
    const ours = decodeAll(await fetchAll(topic, 0), 'read_uncommitted');
    const theirs = await java.consume(topic, 'read_uncommitted', ours.length);
    assert.equal(ours.length, 15 + 3 + 3 + 2 + JAVA_CODECS.length * JAVA_COUNT);
    assert.deepEqual(ours, theirs);
  });

  it('decodes the batches of every codec, and control batches are there to be skipped', async () => {
    const batches = splitBatches((await fetchAll(topic, 0)).records, `${topic}-0`);
    const codecs = new Set(batches.map((b) => b.attributes & ATTRIBUTE.codec));
    assert.deepEqual([...codecs].sort(), [0, 1, 2, 3], 'none, gzip, snappy and lz4 batches in the partition');
    assert.equal(batches.filter((b) => b.attributes & ATTRIBUTE.control).length, 3, 'commit, abort, commit markers');
    assert.ok(
      batches.some((b) => b.recordCount > 1 && (b.attributes & ATTRIBUTE.codec) === 2),
      "a snappy batch of several records (Java's xerial framing)",
    );
  });

  it('refuses a batch whose bytes were changed, naming partition and offset, and leaves out a cut last batch', async () => {
    const records = Buffer.from((await fetchAll(topic, 0)).records);
    const whole = splitBatches(records, 'p-0');
    assert.equal(splitBatches(records.subarray(0, records.length - 1), 'p-0').length, whole.length - 1);
    const second = whole[1];
    records[second.start + 10] ^= 0x01; // a byte of the second batch's records
    assert.throws(
      () => splitBatches(records, `${topic}-0`),
      (error: Error) =>
        error.message.startsWith(`kafka source: ${topic}-0, the record batch at offset ${second.baseOffset} is corrupt: its CRC is 0x`),
    );
  });

  it('refuses zstd on a Node without it, naming the codec, the partition and what to do', async (t) => {
    const [batch] = splitBatches((await fetchAll(zstdTopic, 0)).records, `${zstdTopic}-0`);
    assert.equal(batch.attributes & ATTRIBUTE.codec, 4);
    const visit = () => visitRecords(batch, 0, 100, `${zstdTopic}-0`, emptyView(), () => undefined);
    if ('zstdDecompressSync' in (await import('node:zlib'))) {
      t.diagnostic('this Node has zstd: the batch decodes');
      visit();
      return;
    }
    assert.throws(
      visit,
      /kafka source: kafka-decode-zstd-\w+-0, the record batch at offset 0 is compressed with zstd, which Node [\d.]+ cannot decompress/,
    );
  });

  /**
   * Partition 0 of `name` from offset 0 to its end, fetched as the source fetches (a fetch reads one log segment at
   * most, and the timestamps of this test's producers make the broker roll segments): the record batches of every
   * fetch in one buffer, and the aborted transactions of every fetch.
   */
  async function fetchAll(name: string, isolationLevel: 0 | 1): Promise<FetchedPartition> {
    const metadata = await admin.metadata({ topics: [name] });
    const found = metadata.topics.get(name);
    const broker = found && metadata.brokers.get(found.partitions[0].leader);
    assert.ok(found && broker);
    const parts: Buffer[] = [];
    const aborted = new Map<string, FetchedPartition['abortedTransactions'][number]>();
    let position = 0;
    for (let fetches = 0; fetches < 50; fetches++) {
      const request = { broker, topicId: found.id, partition: 0, offset: position, maxBytes: 8 << 20, isolationLevel, maxWaitMs: 100 };
      const fetched = await fetchPartition(consumer.connections, request);
      assert.ok(fetched);
      for (const a of fetched.abortedTransactions) aborted.set(`${a.producerId}@${a.firstOffset}`, a);
      const last = splitBatches(fetched.records, name).at(-1);
      if (last) {
        parts.push(fetched.records);
        position = last.baseOffset + last.lastOffsetDelta + 1;
      }
      if (BigInt(position) >= (isolationLevel === 1 ? fetched.lastStableOffset : fetched.highWatermark)) {
        return { ...fetched, records: Buffer.concat(parts), abortedTransactions: [...aborted.values()] };
      }
    }
    assert.fail(`${name}-0 was not read to its end in 50 fetches`);
  }

  /** Every record the isolation level reads, in ConsoleConsumer's format (java-tools.ts). */
  function decodeAll(fetched: FetchedPartition, isolation: 'read_committed' | 'read_uncommitted'): string[] {
    const where = `${topic}-0`;
    const aborted = isolation === 'read_committed' ? fetched.abortedTransactions : [];
    const lines: string[] = [];
    for (const batch of committedBatches(splitBatches(fetched.records, where), aborted, where)) {
      visitRecords(batch, 0, Number.MAX_SAFE_INTEGER, where, emptyView(), (r) => {
        const headers = recordHeaders(r).map(([k, v]) => `${k}:${v === null ? 'null' : v.toString('utf8')}`);
        const key = r.keyLength < 0 ? 'null' : r.data.toString('utf8', r.keyStart, r.keyStart + r.keyLength);
        const value = r.valueLength < 0 ? 'null' : r.data.toString('utf8', r.valueStart, r.valueStart + r.valueLength);
        const type = r.logAppendTime ? 'LogAppendTime' : 'CreateTime';
        lines.push(`${type}:${r.timestamp}\tOffset:${r.offset}\t${headers.join(',') || 'NO_HEADERS'}\t${key}\t${value}`);
      });
    }
    return lines;
  }

  /** 15 records, 5 per codec-less send and then gzip, snappy, lz4 (one batch each), keys, headers, a null value. */
  async function producePlatformatic(): Promise<void> {
    const producer = new Producer({
      clientId: 'kafka-decode-test-producer',
      bootstrapBrokers: [kafka.address],
      serializers: stringSerializers,
      acks: -1,
    });
    try {
      for (const [c, compression] of (['none', 'gzip', 'snappy', 'lz4'] as const).entries()) {
        const messages = Array.from({ length: c === 0 ? 3 : 4 }, (_, i) => ({
          topic,
          partition: 0,
          key: i === 1 ? undefined : `key-${compression}-${i}`,
          value: i === 2 ? undefined : `value ${compression} ${i} ünïcödé`,
          headers: i === 0 ? { source: 'platformatic', codec: compression } : undefined,
          timestamp: BigInt(BASE_TIME + 1000 * c + i),
        }));
        await producer.send({ messages, compression });
      }
    } finally {
      await producer.close();
    }
  }

  /** kafkajs transactions: 3 records committed, 3 aborted, 2 committed gzip-compressed; each ends with a marker. */
  async function produceTransactions(): Promise<void> {
    const client = new Kafka({ clientId: 'kafka-decode-test-txn', brokers: [kafka.address], logLevel: logLevel.NOTHING });
    const producer = client.producer({ transactionalId: `kafka-decode-${run}`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const write = async (prefix: string, count: number, commit: boolean, compression = CompressionTypes.None) => {
        const transaction = await producer.transaction();
        const messages = Array.from({ length: count }, (_, i) => ({
          value: `${prefix}-${i}`,
          partition: 0,
          timestamp: String(BASE_TIME + 5000 + i),
        }));
        await transaction.send({ topic, messages, compression });
        await (commit ? transaction.commit() : transaction.abort());
      };
      await write('committed', 3, true);
      await write('aborted', 3, false);
      await write('committed-gzip', 2, true, CompressionTypes.GZIP);
    } finally {
      await producer.disconnect();
    }
  }
});
