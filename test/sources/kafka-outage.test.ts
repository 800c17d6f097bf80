/**
 * A broker that goes down under a running kafka query (a private Kafka, stopped by its PID and started again on its
 * data): the source retries with warnings, goes on when the broker is back, and every record reaches the sink once,
 * in offset order. The shared broker of `npm run services` is needed only to know that Kafka's jars are installed.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { createSource } from '../../src/api/build.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import { kafkaSource } from '../../src/sources/kafka/index.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { memoryLogger } from '../support/memory-logger.js';
import { service } from '../support/services.js';
import { makeTempDir } from '../support/temp-dir.js';
import { until } from '../support/until.js';
import { PrivateKafka } from './kafka-fixtures/private-kafka.js';
import { TestKafka } from './kafka-fixtures/test-kafka.js';

const kafka = service('kafka');

describeOrSkip('kafka source while its broker goes down and comes back', { skip: kafka.skip, timeout: 300_000 }, () => {
  let broker: PrivateKafka;
  let k: TestKafka;
  before(async () => {
    broker = await PrivateKafka.create();
    k = new TestKafka(broker.address);
  });
  after(async () => {
    await k?.close();
    await broker?.destroy();
  });

  it('retries while the broker is down, then reads every record once', async () => {
    const topic = await k.topic('outage', 2);
    const produce = (from: number, count: number) =>
      k.produce(
        topic,
        Array.from({ length: count }, (_, i) => ({ partition: (from + i) % 2, value: String(from + i) })),
      );
    await produce(0, 200);
    const logger = memoryLogger();
    const seen: Row[] = [];
    const query = new StreamingQuery(
      {
        name: 'kafka-outage',
        source: createSource(kafkaSource, {
          bootstrapServers: broker.address,
          subscribe: topic,
          startingOffsets: 'earliest',
          maxOffsetsPerTrigger: 20,
          maxRetries: 60,
          backoff: { initial: '200ms', max: '1s' },
          connectTimeout: '1s',
          requestTimeout: '3s',
        } as never),
        operators: [],
        sink: {
          description: 'collect',
          async open() {},
          async foreachBatch(rows) {
            seen.push(...rows);
          },
          async close() {},
        },
        trigger: { kind: 'processingTime', intervalMs: 100 },
        outputMode: 'append',
        checkpointLocation: join(makeTempDir('kafka-outage-'), 'checkpoint'),
      },
      { logger },
    );
    const running = query.run();
    await until(() => seen.length >= 40, 60_000);
    await broker.stop();
    const readWhileDown = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await broker.start();
    await produce(200, 200);
    await until(() => seen.length >= 400, 120_000);
    query.stop();
    await running;

    assert.ok(readWhileDown < 400, 'the broker went down with records still to read');
    assert.ok(
      logger.messages('warn').some((m) => /kafka source .* failed: .*retry \d+\/60/.test(m)),
      logger.lines.join('\n'),
    );
    assert.equal(seen.length, 400, 'no record twice');
    for (const p of [0, 1]) {
      const mine = seen.filter((r) => r.partition === p);
      assert.deepEqual(
        mine.map((r) => [r.offset, r.value]),
        mine.map((_, i) => [i, String(i * 2 + p)]),
      );
    }
  });
});
