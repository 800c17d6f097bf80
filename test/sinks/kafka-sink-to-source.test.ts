/**
 * The kafka sink's output read by the kafka source, both streamlab's, end to end: the sink process is killed with
 * SIGKILL inside its transaction twice (batches 1 and 3), so each partition holds two aborted transactions of the
 * same producer id (the transactional id is the query's) between committed ones. The source (read_committed, its
 * default) must return every record of batches 0..4 exactly once, every field compared; the kafkajs reader is the
 * reference for what read_committed means.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { asyncScheduler } from 'rxjs';
import { createSource } from '../../src/api/build.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import { kafkaSource } from '../../src/sources/kafka/index.js';
import { repoRoot } from '../support/cli.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { createTopic, deleteTopics, readCommitted, SENTINEL_KEY } from '../support/kafka-read.js';
import { crashRecord, ROWS_PER_BATCH } from '../support/kafka-sink-child.js';
import { service } from '../support/services.js';
import { makeTempDir } from '../support/temp-dir.js';

const kafka = service('kafka');
const BATCHES = 5;

function runChild(env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'dist/test/support/kafka-sink-child.js')], {
    env: { ...process.env, KAFKA_SINK_CHILD: '1', ...env },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output })));
}

/** Every row the kafka source reads from `topic` now (availableNow, from the earliest offsets). */
async function readWithSource(topic: string): Promise<Row[]> {
  const rows: Row[] = [];
  const source = createSource(kafkaSource, {
    bootstrapServers: kafka.address,
    subscribe: topic,
    startingOffsets: 'earliest',
    includeHeaders: true,
    maxRetries: 2,
  } as never);
  await new StreamingQuery(
    {
      name: 'sink-to-source',
      source,
      operators: [],
      sink: {
        description: 'collect',
        async open() {},
        async foreachBatch(batch) {
          rows.push(...batch);
        },
        async close() {},
      },
      trigger: { kind: 'availableNow' },
      outputMode: 'append',
      checkpointLocation: join(makeTempDir('streamlab-sink-to-source-'), 'checkpoint'),
      sourceIdentity: { type: 'kafka', options: {} },
    },
    { scheduler: asyncScheduler },
  ).run();
  return rows;
}

const record = (r: { partition: number; key: string | null; value: string | null; headers: unknown }) => ({
  partition: r.partition,
  key: r.key,
  value: r.value,
  headers: r.headers,
});
const byPartitionAndValue = (a: { partition: number; value: string | null }, b: { partition: number; value: string | null }) =>
  a.partition - b.partition || JSON.parse(a.value!).v - JSON.parse(b.value!).v;

describeOrSkip('kafka sink -> kafka source after two crashes inside transactions', { skip: kafka.skip, timeout: 240_000 }, () => {
  const topic = `kafka-sink-to-source-${process.pid}`;
  const commitsTopic = `kafka-sink-to-source-commits-${process.pid}`;
  after(async () => deleteTopics(kafka.address, [topic, commitsTopic]));

  it('the source reads every record of the committed batches once, none of the aborted ones', async () => {
    await createTopic(kafka.address, topic, 3);
    const checkpoint = join(makeTempDir('streamlab-kafka-two-crashes-'), 'checkpoint');
    const env = { KAFKA_ADDRESS: kafka.address, TOPIC: topic, COMMITS_TOPIC: commitsTopic, CHECKPOINT: checkpoint };
    for (const killAt of [1, 3]) {
      const killed = await runChild({ ...env, KILL_AT: String(killAt), KILL_WHERE: 'in-transaction' });
      assert.equal(killed.signal, 'SIGKILL', killed.output);
    }
    const finished = await runChild({ ...env, MAX_BATCHES: '2' });
    assert.equal(finished.code, 0, finished.output);

    const expected = Array.from({ length: BATCHES * ROWS_PER_BATCH }, (_, v) => crashRecord(v))
      .map((r) => ({ partition: r.partition, key: r.key, value: r.value, headers: r.headers }))
      .sort(byPartitionAndValue);
    const reference = (await readCommitted(kafka.address, topic)).map((r) => ({
      ...record(r),
      headers: r.headers.map(([key, value]) => ({ key, value })),
    }));
    assert.deepStrictEqual(reference.sort(byPartitionAndValue), expected, 'kafkajs, read_committed');
    // The reader above appended its sentinels: not the sink's records.
    const rows = (await readWithSource(topic)).filter((r) => r.key !== SENTINEL_KEY).map((r) => record(r as never));
    assert.deepStrictEqual(rows.sort(byPartitionAndValue), expected, 'the kafka source');
  });
});
