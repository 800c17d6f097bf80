/**
 * The kafka sink: its input checks (Spark's contract), the read_committed filter it reads its markers with, and,
 * against the real Kafka, every record field, atLeastOnce's replays, and fencing of an older process of the query.
 * Exactly-once across crashes: kafka-crash.test.ts; the common properties: conformance.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { RecordsBatch } from '@platformatic/kafka';
import { committedRecords } from '../../src/connectors/kafka/committed-records.js';
import { ConfigError } from '../../src/core/errors.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import type { Sink } from '../../src/core/sink.js';
import { kafkaSink } from '../../src/sinks/kafka/index.js';
import { requestChunks } from '../../src/sinks/kafka/records.js';
import { buildContext } from '../support/conformance/build-context.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { createTopic, deleteTopics, readCommitted, readTopic } from '../support/kafka-read.js';
import { memoryLogger } from '../support/memory-logger.js';
import { service } from '../support/services.js';

const build = (input: Schema, options: Record<string, unknown>) => kafkaSink.create(kafkaSink.options.parse(options), buildContext(input));

function configMessages(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  assert.fail('no ConfigError');
}

describe('kafka sink: the input, checked at build time', () => {
  it('needs a string `value` column and a topic, and names what the input has', () => {
    const messages = configMessages(() => build([{ name: 'n', type: 'long' }], {}));
    assert.equal(messages.length, 2);
    assert.match(messages[0], /^sink: the input has no "value" column.*the input has: n: long/);
    assert.match(messages[1], /^sink: no topic: set the sink's `topic` option, or give the rows a "topic" column/);
  });

  it('refuses a value, key or partition of the wrong type', () => {
    const input: Schema = [
      { name: 'value', type: 'double' },
      { name: 'key', type: 'timestamp' },
      { name: 'partition', type: 'string' },
    ];
    const messages = configMessages(() => build(input, { topic: 't' }));
    assert.deepEqual(
      messages.map((m) => m.replace(/;.*/, '')),
      ['sink: the "value" column is double', 'sink: the "key" column is timestamp', 'sink: the "partition" column is string'],
    );
  });

  it('takes a topic column instead of the option, and an unknown option is an error', () => {
    assert.ok(
      build(
        [
          { name: 'value', type: 'string' },
          { name: 'topic', type: 'string' },
        ],
        {},
      ),
    );
    assert.equal(kafkaSink.options.safeParse({ topic: 't', colour: 'red' }).success, false);
    assert.equal(kafkaSink.options.safeParse({ topic: 'no spaces' }).success, false);
    assert.equal(kafkaSink.options.safeParse({ topic: 't', deliveryGuarantee: 'exactly-once' }).success, false);
  });
});

/** A record batch as the broker sends it (attributes: 0x10 transactional, 0x20 control). */
function batch(firstOffset: number, producerId: number, kind: 'data' | 'commit' | 'abort' | 'plain', count = 1): RecordsBatch {
  const control = kind === 'commit' || kind === 'abort';
  const marker = Buffer.from([0, 0, 0, kind === 'abort' ? 0 : 1]);
  return {
    firstOffset: BigInt(firstOffset),
    lastOffsetDelta: count - 1,
    attributes: (kind === 'plain' ? 0 : 0x10) | (control ? 0x20 : 0),
    producerId: BigInt(producerId),
    records: Array.from({ length: count }, (_, i) => ({
      offsetDelta: i,
      key: control ? marker : Buffer.from(`k${firstOffset + i}`),
      value: control ? null : Buffer.from(`v${firstOffset + i}`),
    })),
  } as unknown as RecordsBatch;
}

describe('kafka sink: requestChunks', () => {
  it('cuts the records into requests of at most maxBytes; a record larger than that goes alone', () => {
    const record = (bytes: number) => ({ topic: 't', value: Buffer.alloc(bytes) });
    const sizes = requestChunks([record(400), record(400), record(400), record(5000), record(10)], 1000).map((c) =>
      c.map((m) => m.value!.length),
    );
    // 64 bytes of framing a record: 464 + 464 fit in 1000, a third does not; 5064 is alone; the next one starts anew.
    assert.deepEqual(sizes, [[400, 400], [400], [5000], [10]]);
  });
});

describe('kafka connector: committedRecords, the read_committed filter', () => {
  it('drops every aborted transaction of one producer in one fetch, and the control batches', () => {
    // Producer 7: aborted (0-1, marker 2), committed (3-4, marker 5), aborted (6, marker 7); producer 9: plain record 8.
    const batches = [
      batch(0, 7, 'data', 2),
      batch(2, 7, 'abort'),
      batch(3, 7, 'data', 2),
      batch(5, 7, 'commit'),
      batch(6, 7, 'data'),
      batch(7, 7, 'abort'),
      batch(8, 9, 'plain'),
    ];
    const aborted = [
      { producerId: 7n, firstOffset: 6n },
      { producerId: 7n, firstOffset: 0n },
    ];
    const kept = committedRecords(batches, aborted).map((r) => `${r.offset}:${r.record.key}`);
    assert.deepEqual(kept, ['3:k3', '4:k4', '8:k8']);
  });

  it('keeps everything without aborted transactions', () => {
    const kept = committedRecords([batch(0, 1, 'data', 3), batch(3, 1, 'commit')], []).map((r) => Number(r.offset));
    assert.deepEqual(kept, [0, 1, 2]);
  });
});

const kafka = service('kafka');

describeOrSkip('kafka sink against Kafka', { skip: kafka.skip, timeout: 120_000 }, () => {
  const topics: string[] = [];
  const commitsTopic = `kafka-sink-test-commits-${process.pid}`;
  const newTopic = async (label: string, partitions = 1) => {
    const topic = `kafka-sink-test-${label}-${process.pid}`;
    topics.push(topic);
    await createTopic(kafka.address, topic, partitions);
    return topic;
  };
  const open = async (sink: Sink, queryId: string) => {
    const logger = memoryLogger();
    await sink.open({ queryId, queryName: 'kafka-test', outputMode: 'append', logger });
    return logger;
  };
  after(async () => deleteTopics(kafka.address, [...topics, commitsTopic]));

  it('writes every field: value, key (null too), headers, partition, and a topic per row', async () => {
    const [a, b] = [await newTopic('fields-a', 3), await newTopic('fields-b')];
    const input: Schema = [
      { name: 'topic', type: 'string' },
      { name: 'key', type: 'string' },
      { name: 'value', type: 'string' },
      { name: 'headers', type: 'array' },
      { name: 'partition', type: 'long' },
    ];
    const rows: Row[] = [
      { topic: a, key: 'k1', value: '{"n":1,"text":"béta ✓"}', headers: [{ key: 'h', value: 'x' }], partition: 2 },
      { topic: a, key: null, value: 'no key', headers: null, partition: 0 },
      {
        topic: b,
        key: 'k3',
        value: '',
        headers: [
          { key: 'h', value: '1' },
          { key: 'g', value: null },
        ],
        partition: null,
      },
    ];
    const sink = build(input, { bootstrapServers: kafka.address, commitsTopic, maxRetries: 2 });
    await open(sink, randomUUID());
    await sink.foreachBatch(rows, 0);
    await sink.close();
    const read = [...(await readCommitted(kafka.address, a)), ...(await readCommitted(kafka.address, b))];
    assert.deepStrictEqual(
      read.map(({ offset: _o, ...r }) => r),
      [
        { topic: a, partition: 0, key: null, value: 'no key', headers: [] },
        { topic: a, partition: 2, key: 'k1', value: '{"n":1,"text":"béta ✓"}', headers: [['h', 'x']] },
        {
          topic: b,
          partition: 0,
          key: 'k3',
          value: '',
          headers: [
            ['h', '1'],
            ['g', ''],
          ],
        },
      ],
    );
  });

  it('a batch larger than a produce request (3 MB) goes in several requests of its one transaction', async () => {
    const topic = await newTopic('large', 2);
    const rows = Array.from({ length: 6000 }, (_, i) => ({ key: `k${i}`, value: `${i}:${'é'.repeat(250)}` }));
    const input: Schema = [
      { name: 'key', type: 'string' },
      { name: 'value', type: 'string' },
    ];
    const sink = build(input, { bootstrapServers: kafka.address, topic, commitsTopic, maxRetries: 2 });
    await open(sink, randomUUID());
    await sink.foreachBatch(rows, 0);
    await sink.close();
    const read = await readCommitted(kafka.address, topic);
    assert.deepStrictEqual(
      read.map((r) => ({ key: r.key, value: r.value })).sort((a, b) => Number(a.key!.slice(1)) - Number(b.key!.slice(1))),
      rows,
    );
  });

  it('atLeastOnce: no transaction, no marker, and a replayed batch is written again (as it says)', async () => {
    const topic = await newTopic('at-least-once');
    const sink = build([{ name: 'value', type: 'string' }], { bootstrapServers: kafka.address, topic, deliveryGuarantee: 'atLeastOnce' });
    await open(sink, randomUUID());
    await sink.foreachBatch([{ value: 'a' }, { value: 'b' }], 0);
    await sink.foreachBatch([{ value: 'a' }, { value: 'b' }], 0);
    await sink.close();
    const read = await readTopic(kafka.address, topic, { readUncommitted: false });
    assert.deepEqual(
      read.map((r) => [r.offset, r.value]),
      [
        [0, 'a'],
        [1, 'b'],
        [2, 'a'],
        [3, 'b'],
      ],
      'no transaction markers between the records',
    );
  });

  it('a second process of the query fences the first: its next batch fails, and nothing it sent is read', async () => {
    const topic = await newTopic('fenced');
    const queryId = randomUUID();
    const options = { bootstrapServers: kafka.address, topic, commitsTopic, maxRetries: 1 };
    const input: Schema = [{ name: 'value', type: 'string' }];
    const old = build(input, options);
    const taking = build(input, options);
    try {
      await writeFencedThenTakeOver(old, taking, queryId);
    } finally {
      await old.close();
      await taking.close();
    }
    assert.deepEqual(
      (await readCommitted(kafka.address, topic)).map((r) => r.value),
      ['batch 0', 'new batch 1'],
    );
  });

  async function writeFencedThenTakeOver(old: Sink, taking: Sink, queryId: string) {
    await open(old, queryId);
    await old.foreachBatch([{ value: 'batch 0' }], 0);
    await open(taking, queryId);
    await assert.rejects(
      old.foreachBatch([{ value: 'old batch 1' }], 1),
      /^RuntimeError: kafka sink: batch 1: fenced: a newer process of this query took over its transactional id streamlab-[-0-9a-f]+ on 127\.0\.0\.1:\d+/,
    );
    await taking.foreachBatch([{ value: 'batch 0' }], 0); // a replay: skipped
    await taking.foreachBatch([{ value: 'new batch 1' }], 1);
  }
});
