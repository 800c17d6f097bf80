/**
 * The kafka source against the real Kafka of `npm run services -- up kafka`: rows as Spark's schema (every field
 * compared), offsets in the checkpoint exactly as Spark writes them, a replayed batch reading exactly the same records,
 * maxOffsetsPerTrigger shared as Spark shares it, startingOffsets, new partitions, and data loss both ways.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { asyncScheduler } from 'rxjs';
import { createSource } from '../../src/api/build.js';
import { RuntimeError } from '../../src/core/errors.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Offset, Row } from '../../src/core/row.js';
import type { Sink } from '../../src/core/sink.js';
import type { Source } from '../../src/core/source.js';
import { kafkaSource } from '../../src/sources/kafka/index.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { memoryLogger } from '../support/memory-logger.js';
import { service } from '../support/services.js';
import { makeTempDir } from '../support/temp-dir.js';
import { TestKafka } from './kafka-fixtures/test-kafka.js';

const kafka = service('kafka');
const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

describeOrSkip('kafka source against Kafka 3.9', { skip: kafka.skip, timeout: 180_000 }, () => {
  let k: TestKafka;
  let dir: string;
  before(async () => {
    k = new TestKafka(kafka.address);
    dir = makeTempDir('kafka-source-');
  });
  after(async () => {
    await k?.close();
  });

  const source = (options: Record<string, unknown>) =>
    createSource(kafkaSource, { bootstrapServers: kafka.address, maxRetries: 2, ...options } as never);
  const open = async (s: Source, logger: Logger = silentLogger, metadata?: Offset) => {
    const opened = await s.open({ scheduler: asyncScheduler, logger, metadata });
    return opened ? opened.metadata : undefined;
  };
  /** Runs a query until everything there now is read (availableNow); returns each batch's id and rows. */
  async function runQuery(s: Source, checkpoint: string, sink?: Partial<Sink>) {
    const batches: Array<{ id: number; rows: Row[] }> = [];
    await new StreamingQuery({
      name: 'kafka-test',
      source: s,
      operators: [],
      sink: {
        description: 'collect',
        async open() {},
        async foreachBatch(rows, id) {
          batches.push({ id, rows });
        },
        async close() {},
        ...sink,
      },
      trigger: { kind: 'availableNow' },
      outputMode: 'append',
      checkpointLocation: checkpoint,
      sourceIdentity: { type: 'kafka', options: {} },
    }).run();
    return batches;
  }
  const offsetsLine = async (checkpoint: string, batchId: number) =>
    (await readFile(join(checkpoint, 'offsets', String(batchId)), 'utf8')).split('\n')[2];

  it("reads rows as Spark's schema and writes offsets to the checkpoint as Spark does", async () => {
    const topic = await k.topic('rows', 2);
    await k.produce(topic, [
      { partition: 0, key: 'k0', value: 'héllo', headers: { source: 'test', n: '1' }, timestamp: T0 },
      { partition: 1, key: null, value: '{"a":1}', timestamp: T0 + 1 },
      { partition: 0, key: 'k2', value: null, timestamp: T0 + 2 },
      { partition: 0, key: 'k3', value: '', timestamp: T0 + 3 },
    ]);
    const checkpoint = join(dir, 'rows');
    const batches = await runQuery(source({ subscribe: topic, startingOffsets: 'earliest', includeHeaders: true }), checkpoint);
    const row = (partition: number, offset: number, key: string | null, value: string | null, ms: number, headers: object[] = []) => ({
      key,
      value,
      topic,
      partition,
      offset,
      timestamp: new Date(ms),
      timestampType: 0,
      headers,
    });
    assert.deepEqual(batches, [
      {
        id: 0,
        rows: [
          row(0, 0, 'k0', 'héllo', T0, [
            { key: 'source', value: 'test' },
            { key: 'n', value: '1' },
          ]),
          row(0, 1, 'k2', null, T0 + 2),
          row(0, 2, 'k3', '', T0 + 3),
          row(1, 0, null, '{"a":1}', T0 + 1),
        ],
      },
    ]);
    assert.equal(await offsetsLine(checkpoint, 0), `{"${topic}":{"0":3,"1":1}}`);
    assert.equal(await readFile(join(checkpoint, 'sources', '0', '0'), 'utf8'), `{"${topic}":{"0":0,"1":0}}`);
  });

  it('format bytes gives key and value as byte values; without includeHeaders there is no headers column', async () => {
    const topic = await k.topic('bytes', 1);
    await k.produce(topic, [{ partition: 0, key: 'A', value: 'é', timestamp: T0 }]);
    const s = source({ subscribe: [topic], startingOffsets: 'earliest', format: 'bytes' });
    assert.deepEqual(
      s.schema.map((c) => `${c.name}:${c.type}`),
      ['key:array', 'value:array', 'topic:string', 'partition:long', 'offset:long', 'timestamp:timestamp', 'timestampType:long'],
    );
    const batches = await runQuery(s, join(dir, 'bytes'));
    assert.deepEqual(batches[0].rows, [
      { key: [65], value: [0xc3, 0xa9], topic, partition: 0, offset: 0, timestamp: new Date(T0), timestampType: 0 },
    ]);
  });

  it('a batch replayed after a crash before its commit reads exactly the same records, with the same id', async () => {
    const topic = await k.topic('replay', 3);
    const produce = (from: number, count: number) =>
      k.produce(
        topic,
        Array.from({ length: count }, (_, i) => ({
          partition: (from + i) % 3,
          key: `k${from + i}`,
          value: `v${from + i}`,
          timestamp: T0 + from + i,
        })),
      );
    await produce(0, 30);
    const checkpoint = join(dir, 'replay');
    const first = await runQuery(source({ subscribe: topic, startingOffsets: 'earliest', maxOffsetsPerTrigger: 12 }), checkpoint, {
      async foreachBatch(_rows, id) {
        if (id === 1) throw new Error('crash in batch 1');
      },
    }).catch((error: Error) => error);
    assert.ok(first instanceof Error && /crash in batch 1/.test(first.message), String(first));
    const recorded = await offsetsLine(checkpoint, 1);
    await produce(30, 30); // more records arrive while the query is down: the replay must not take them in
    const second = await runQuery(source({ subscribe: topic, startingOffsets: 'earliest', maxOffsetsPerTrigger: 12 }), checkpoint);
    assert.equal(second[0].id, 1, 'batch 1 runs again, with its id');
    assert.equal(await offsetsLine(checkpoint, 1), recorded, 'offsets/1 unchanged');
    // The replayed batch is (offsets/0, offsets/1]: read those ranges directly and compare every row.
    const start = JSON.parse(await offsetsLine(checkpoint, 0));
    const direct = source({ subscribe: topic });
    await open(direct, silentLogger, {});
    try {
      assert.deepEqual(second[0].rows, await direct.getBatch(start, JSON.parse(recorded)));
    } finally {
      await direct.stop();
    }
    const all = second.flatMap((b) => b.rows);
    const firstBatch = JSON.parse(await offsetsLine(checkpoint, 0)) as Record<string, Record<string, number>>;
    const inFirst = Object.values(firstBatch[topic]).reduce((a, b) => a + b, 0);
    const summary = second.map((b) => `${b.id}: ${b.rows.map((r) => `${r.partition}@${r.offset}`).join(' ')}`).join('\n');
    assert.equal(all.length + inFirst, 60, `every record once over both runs; offsets/0 ${JSON.stringify(firstBatch)}\n${summary}`);
    assert.deepEqual(new Set(all.map((r) => r.value)).size, all.length);
  });

  it('maxOffsetsPerTrigger is shared among partitions in proportion to their backlog, as Spark shares it', async () => {
    const topic = await k.topic('limit', 2);
    await k.produce(topic, [
      ...Array.from({ length: 30 }, (_, i) => ({ partition: 0, value: `a${i}` })),
      ...Array.from({ length: 10 }, (_, i) => ({ partition: 1, value: `b${i}` })),
    ]);
    const checkpoint = join(dir, 'limit');
    const batches = await runQuery(source({ subscribe: topic, startingOffsets: 'earliest', maxOffsetsPerTrigger: 8 }), checkpoint);
    // batch 0: sizes 30 and 10 of 40 -> 8 * 0.75 = 6 and 8 * 0.25 = 2
    assert.equal(await offsetsLine(checkpoint, 0), `{"${topic}":{"0":6,"1":2}}`);
    assert.ok(batches.every((b) => b.rows.length <= 8));
    const values = batches.flatMap((b) => b.rows.map((r) => r.value));
    assert.deepEqual(
      [...values].sort(),
      [...Array.from({ length: 30 }, (_, i) => `a${i}`), ...Array.from({ length: 10 }, (_, i) => `b${i}`)].sort(),
    );
    for (const p of ['a', 'b']) {
      const ordered = values.filter((v) => String(v).startsWith(p));
      assert.deepEqual(
        ordered,
        [...ordered].sort((x, y) => Number(String(x).slice(1)) - Number(String(y).slice(1))),
      );
    }
  });

  it('startingOffsets: latest skips what is there, JSON starts each partition where it says, every partition must be named', async () => {
    const topic = await k.topic('starting', 2);
    await k.produce(
      topic,
      [0, 1, 2, 3].map((i) => ({ partition: i % 2, value: `old${i}` })),
    );
    const latest = source({ subscribe: topic });
    const initial = await open(latest);
    assert.deepEqual(initial, { [topic]: { 0: 2, 1: 2 } });
    try {
      assert.equal(await latest.latestOffset(null), null, 'nothing new yet');
      await k.produce(topic, [{ partition: 1, value: 'new' }]);
      const end = await latest.latestOffset(null);
      assert.deepEqual(end, { [topic]: { 0: 2, 1: 3 } });
      assert.deepEqual(
        (await latest.getBatch(null, end!)).map((r) => r.value),
        ['new'],
      );
    } finally {
      await latest.stop();
    }
    const specific = source({ subscribe: topic, startingOffsets: `{"${topic}":{"0":1,"1":-2}}` });
    assert.deepEqual(await open(specific), { [topic]: { 0: 1, 1: 0 } });
    try {
      const end = await specific.latestOffset(null);
      assert.deepEqual(
        (await specific.getBatch(null, end!)).map((r) => `${r.partition}:${r.offset}:${r.value}`),
        ['0:1:old2', '1:0:old1', '1:1:old3', '1:2:new'],
      );
    } finally {
      await specific.stop();
    }
    await assert.rejects(open(source({ subscribe: topic, startingOffsets: { [topic]: { 0: -2 } } })), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.match(error.message, new RegExp(`startingOffsets must give an offset for every partition read.*missing: ${topic}-1`));
      return true;
    });
  });

  it('picks up new partitions and reads them from their start', async () => {
    const topic = await k.topic('grow', 1);
    await k.produce(topic, [{ partition: 0, value: 'p0' }]);
    const s = source({ subscribePattern: `${topic.replace(/[-]/g, '\\-')}`, startingOffsets: 'earliest' });
    await open(s);
    try {
      const first = await s.latestOffset(null);
      assert.deepEqual(first, { [topic]: { 0: 1 } });
      assert.deepEqual(
        (await s.getBatch(null, first!)).map((r) => r.value),
        ['p0'],
      );
      await k.addPartitions(topic, 3);
      await k.produce(topic, [
        { partition: 2, value: 'p2' },
        { partition: 1, value: 'p1' },
        { partition: 0, value: 'p0b' },
      ]);
      const second = await s.latestOffset(first);
      assert.deepEqual(second, { [topic]: { 0: 2, 1: 1, 2: 1 } });
      assert.deepEqual(
        (await s.getBatch(first, second!)).map((r) => `${r.partition}:${r.offset}:${r.value}`),
        ['0:1:p0b', '1:0:p1', '2:0:p2'],
      );
    } finally {
      await s.stop();
    }
  });

  it('failOnDataLoss: true stops naming topic, partition and offsets; false warns and reads what is left', async () => {
    const topic = await k.topic('loss', 1);
    await k.produce(
      topic,
      Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `v${i}` })),
    );
    const start = { [topic]: { 0: 2 } };
    const end = { [topic]: { 0: 10 } };
    await k.deleteBefore(topic, 0, 5);
    const failing = source({ subscribe: topic });
    await open(failing, silentLogger, start);
    try {
      await assert.rejects(
        async () => failing.getBatch(start, end),
        (error: unknown) => {
          assert.ok(error instanceof RuntimeError);
          assert.match(
            error.message,
            new RegExp(
              `^kafka source: cannot read offsets \\[2, 5\\) of ${topic}-0: its log starts at 5 now\\. Some data may have been lost`,
            ),
          );
          assert.match(error.message, /set the source option failOnDataLoss to false/);
          return true;
        },
      );
    } finally {
      await failing.stop();
    }
    const logger = memoryLogger();
    const lenient = source({ subscribe: topic, failOnDataLoss: false });
    await open(lenient, logger, start);
    try {
      assert.deepEqual(
        (await lenient.getBatch(start, end)).map((r) => r.value),
        ['v5', 'v6', 'v7', 'v8', 'v9'],
      );
      assert.equal(logger.messages('warn').length, 1);
      assert.match(logger.messages('warn')[0], new RegExp(`cannot read offsets \\[2, 5\\) of ${topic}-0.*failOnDataLoss: false`));
    } finally {
      await lenient.stop();
    }
  });

  it('a topic that does not exist is refused at open, naming it and the broker, and is not created', async () => {
    const missing = `kafka-source-missing-${Date.now()}`;
    await assert.rejects(open(source({ subscribe: missing })), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.match(error.message, new RegExp(`topic ${missing} does not exist on ${kafka.address}`));
      return true;
    });
    assert.ok(!(await k.topics()).includes(missing), 'the source never creates topics');
  });

  it('a broker that cannot be reached: bounded retries, then one clear error naming the address', async () => {
    const logger = memoryLogger();
    const s = source({
      bootstrapServers: '127.0.0.1:1',
      subscribe: 'x',
      maxRetries: 2,
      backoff: { initial: '10ms', max: '20ms' },
      connectTimeout: '1s',
    });
    await assert.rejects(open(s, logger), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.match(error.message, /^kafka 127\.0\.0\.1:1: kafka source listing the partitions failed: /);
      return true;
    });
    assert.equal(logger.messages('warn').length, 2, logger.lines.join('\n'));
    assert.match(logger.messages('warn')[1], /retry 2\/2/);
  });
});
