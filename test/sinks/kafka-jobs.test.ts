/**
 * The shipped Kafka producer job rate-kafka through the CLI against the real Kafka: killed with SIGKILL wherever it
 * is in batch 3, restarted on the same checkpoint, stopped with SIGINT. A read_committed reader then finds every rate
 * value 0..n exactly once, each record as the job makes it (key = the value, value = JSON {timestamp, value} with
 * the rate source's timestamps: start + value / rowsPerSecond).
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { killedAndRestarted } from '../support/cli.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { deleteTopics, readCommitted } from '../support/kafka-read.js';
import { service } from '../support/services.js';
import { makeTempDir } from '../support/temp-dir.js';

const kafka = service('kafka');

describeOrSkip('job rate-kafka through the CLI against Kafka', { skip: kafka.skip, timeout: 180_000 }, () => {
  const topic = `kafka-sink-rate-job-${process.pid}`;
  after(async () => deleteTopics(kafka.address, [topic]));

  it('killed with SIGKILL and restarted: every value exactly once, every field as the job makes it', async () => {
    const cwd = makeTempDir('streamlab-rate-kafka-');
    const rowsPerSecond = 20;
    await killedAndRestarted('rate-kafka', cwd, {
      KAFKA_BOOTSTRAP_SERVERS: kafka.address,
      RATE_TOPIC: topic,
      ROWS_PER_SECOND: String(rowsPerSecond),
    });
    const records = await readCommitted(kafka.address, topic);
    assert.ok(records.length >= 5 * rowsPerSecond, `${records.length} records`);
    const values = records.map((r) => JSON.parse(r.value!) as { timestamp: string; value: number });
    const start = Date.parse(values.find((v) => v.value === 0)!.timestamp);
    assert.deepStrictEqual(
      records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })).sort((a, b) => Number(a.key) - Number(b.key)),
      values.map((_, v) => ({
        key: String(v),
        value: JSON.stringify({ timestamp: new Date(start + (v * 1000) / rowsPerSecond).toISOString(), value: v }),
        headers: [],
      })),
      'values 0..n, each once, with its key and timestamp',
    );
  });
});
