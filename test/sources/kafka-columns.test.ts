/**
 * The kafka source's columns (getColumns) hold exactly its rows (getBatch), against the real Kafka of
 * `npm run services -- up kafka`: several partitions (ranges read at once, concatenated in order), null and empty keys
 * and values, unicode, headers, format text and bytes, repeated keys (dictionary) and distinct values. Compared with
 * deepStrictEqual and as JSON; the columns are typed (topic a dictionary, offsets and timestamps typed arrays).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { asyncScheduler } from 'rxjs';
import { createSource } from '../../src/api/build.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Source } from '../../src/core/source.js';
import { kafkaSource } from '../../src/sources/kafka/index.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { service } from '../support/services.js';
import { type TestRecord, TestKafka } from './kafka-fixtures/test-kafka.js';

const kafka = service('kafka');
const T0 = Date.UTC(2026, 11, 1, 7, 0, 0);

describeOrSkip('kafka source: columns equal rows (Kafka 3.9)', { skip: kafka.skip, timeout: 120_000 }, () => {
  let k: TestKafka;
  let topic: string;
  const records: TestRecord[] = [
    { partition: 0, key: 'k0', value: 'héllo 日本', headers: { source: 'test', n: '1' }, timestamp: T0 },
    { partition: 1, key: null, value: '{"a":1}', timestamp: T0 + 1 },
    { partition: 0, key: 'k0', value: null, timestamp: T0 + 2 },
    { partition: 2, key: '', value: '', headers: { e: '' }, timestamp: T0 + 3 },
    ...Array.from({ length: 300 }, (_, i) => ({ partition: i % 3, key: `k${i % 4}`, value: `v${i}`, timestamp: T0 + 10 + i })),
  ];
  before(async () => {
    k = new TestKafka(kafka.address);
    topic = await k.topic('columns', 3);
    await k.produce(topic, records);
  });
  after(async () => {
    await k?.close();
  });

  /** getBatch of one source and getColumns of another, over everything in the topic now. */
  async function both(options: Record<string, unknown>) {
    const read = async (columnar: boolean) => {
      const source: Source = createSource(kafkaSource, {
        bootstrapServers: kafka.address,
        subscribe: topic,
        startingOffsets: 'earliest',
        maxRetries: 2,
        ...options,
        // group mode: a group of its own for each read (a claim of one read would hold the other back)
        ...(options.group ? { group: `${options.group}-${columnar ? 'columns' : 'rows'}` } : {}),
      } as never);
      await source.open({ scheduler: asyncScheduler, logger: silentLogger });
      try {
        const end = await source.latestOffset(null);
        assert.ok(end !== null);
        return columnar ? await source.getColumns!(null, end) : await source.getBatch(null, end);
      } finally {
        await source.stop();
      }
    };
    const rows = await read(false);
    const columns = await read(true);
    assert.ok(!Array.isArray(columns) && Array.isArray(rows));
    assert.equal(rows.length, records.length);
    assert.deepStrictEqual(columns.rows(), rows);
    assert.equal(JSON.stringify(columns.rows()), JSON.stringify(rows));
    return { rows, columns };
  }

  it('format text with headers: every field of every record', async () => {
    const { columns, rows } = await both({ includeHeaders: true });
    assert.deepEqual(
      columns.vectors.map((v) => v.kind),
      // value: ~100 distinct per partition, under StringColumn.DICTIONARY_MIN, so still a dictionary
      ['dictionary', 'dictionary', 'dictionary', 'number', 'number', 'timestamp', 'number', 'values'],
    );
    const topicVector = columns.vector('topic');
    assert.ok(topicVector?.kind === 'dictionary');
    assert.deepEqual(topicVector.dictionary, [topic]);
    assert.deepEqual(rows[0], {
      key: 'k0',
      value: 'héllo 日本',
      topic,
      partition: 0,
      offset: 0,
      timestamp: new Date(T0),
      timestampType: 0,
      headers: [
        { key: 'source', value: 'test' },
        { key: 'n', value: '1' },
      ],
    });
  });

  it('format text without headers', async () => {
    await both({});
  });

  it('group mode (KafkaGroupSource): the ranges it claims, as columns', async () => {
    await both({ group: `kafka-columns-${topic}`, includeHeaders: true });
  });

  it('format bytes: key and value as byte values', async () => {
    const { rows } = await both({ format: 'bytes', includeHeaders: true });
    assert.deepEqual(rows[0].key, [107, 48]);
  });

  it('assign one partition from an offset: one range, the same rows', async () => {
    const source: Source = createSource(kafkaSource, {
      bootstrapServers: kafka.address,
      assign: { [topic]: [2] },
      startingOffsets: { [topic]: { '2': 1 } },
    } as never);
    await source.open({ scheduler: asyncScheduler, logger: silentLogger });
    try {
      const end = (await source.latestOffset(null))!;
      const rows = await source.getBatch(null, end);
      const columns = await source.getColumns!(null, end);
      assert.equal(rows.length, 100); // partition 2: 1 + 100 records, from offset 1
      assert.deepStrictEqual(columns.rows(), rows);
    } finally {
      await source.stop();
    }
  });
});
