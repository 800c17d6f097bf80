/**
 * Smoke test of the Kafka that `npm run services -- up kafka` starts: create a topic, produce, consume from the
 * beginning with a consumer group, compare keys, values and offsets.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { service } from '../support/services.js';

const kafka = service('kafka');

describeOrSkip('integration: kafka smoke', { skip: kafka.skip }, () => {
  const topic = `smoke-${process.pid}-${Date.now()}`;
  let client: Kafka;
  let admin: Admin;

  before(async () => {
    client = new Kafka({ clientId: 'streamlab-smoke', brokers: [kafka.address], logLevel: logLevel.NOTHING });
    admin = client.admin();
    await admin.connect();
  });

  after(async () => {
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('returns the produced messages to a consumer group', { timeout: 60_000 }, async () => {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    const messages = [
      { key: 'k1', value: '{"n":1}' },
      { key: 'k2', value: '{"n":2,"text":"béta ✓"}' },
      { key: 'k3', value: '' },
    ];
    const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, messages });
    await producer.disconnect();

    const consumer = client.consumer({ groupId: `${topic}-group` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: Array<{ key: string; value: string; offset: string }> = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            received.push({ key: String(message.key), value: String(message.value), offset: message.offset });
            if (received.length === messages.length) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    assert.deepEqual(
      received,
      messages.map((m, i) => ({ ...m, offset: String(i) })),
    );
  });
});
