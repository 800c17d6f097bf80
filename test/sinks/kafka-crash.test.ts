/**
 * The kafka sink's exactly-once across real crashes: a process (test/support/kafka-sink-child.ts) kills itself with
 * SIGKILL in batch 2, then a new process runs the query on the same checkpoint. Read back as a read_committed
 * consumer (kafkajs), the topic holds every record of batches 0..4 exactly once, every field compared (partition,
 * key, value, headers).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { repoRoot } from '../support/cli.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { createTopic, deleteTopics, readCommitted, readTopic, type ReadRecord } from '../support/kafka-read.js';
import { crashRecord, ROWS_PER_BATCH } from '../support/kafka-sink-child.js';
import { service } from '../support/services.js';
import { makeTempDir } from '../support/temp-dir.js';

const kafka = service('kafka');
const BATCHES = 5;
const KILL_AT = 2;

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function runChild(env: Record<string, string>): Promise<ChildRun> {
  const child = spawn(process.execPath, [join(repoRoot, 'dist/test/support/kafka-sink-child.js')], {
    env: { ...process.env, KAFKA_SINK_CHILD: '1', ...env },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output })));
}

/** The records batches 0..BATCHES-1 must leave, as the reader returns them (partition, then offset order within it). */
function expectedRecords(topic: string) {
  const all = Array.from({ length: BATCHES * ROWS_PER_BATCH }, (_, v) => crashRecord(v));
  return all
    .map((r) => ({
      topic,
      partition: r.partition,
      key: r.key,
      value: r.value,
      headers: r.headers.map((h): [string, string] => [h.key, h.value]),
    }))
    .sort((a, b) => a.partition - b.partition || JSON.parse(a.value).v - JSON.parse(b.value).v);
}

const withoutOffset = ({ offset: _offset, ...rest }: ReadRecord) => rest;

describeOrSkip('kafka sink: SIGKILL and restart, read back read_committed', { skip: kafka.skip, timeout: 240_000 }, () => {
  const topics: string[] = [];
  const commitsTopic = `kafka-sink-crash-commits-${process.pid}`;
  before(() => topics.push(commitsTopic));
  after(async () => deleteTopics(kafka.address, topics));

  for (const where of ['after-write', 'in-transaction'] as const) {
    const title =
      where === 'after-write'
        ? `killed after batch ${KILL_AT}'s transaction committed and before commits/${KILL_AT}: the restart skips the batch`
        : `killed inside batch ${KILL_AT}'s transaction (sent, not committed): the restart aborts it and writes the batch again`;
    it(title, async () => {
      const topic = `kafka-sink-crash-${where}-${process.pid}`;
      topics.push(topic);
      await createTopic(kafka.address, topic, 3);
      const checkpoint = join(makeTempDir('streamlab-kafka-crash-'), 'checkpoint');
      const env = { KAFKA_ADDRESS: kafka.address, TOPIC: topic, COMMITS_TOPIC: commitsTopic, CHECKPOINT: checkpoint };

      const killed = await runChild({ ...env, KILL_AT: String(KILL_AT), KILL_WHERE: where });
      assert.equal(killed.signal, 'SIGKILL', killed.output);
      assert.ok(existsSync(join(checkpoint, 'offsets', String(KILL_AT))), `offsets/${KILL_AT} written`);
      assert.ok(!existsSync(join(checkpoint, 'commits', String(KILL_AT))), `commits/${KILL_AT} not written`);

      const restarted = await runChild({ ...env, MAX_BATCHES: String(BATCHES - KILL_AT) });
      assert.equal(restarted.code, 0, restarted.output);
      assert.match(restarted.output, new RegExp(`replayed ${KILL_AT}\\n`));
      const skipped = new RegExp(`batch ${KILL_AT} was already written`);
      if (where === 'after-write') assert.match(restarted.output, skipped);
      else assert.doesNotMatch(restarted.output, skipped);

      const records = await readCommitted(kafka.address, topic);
      assert.deepStrictEqual(records.map(withoutOffset), expectedRecords(topic), 'every record once, every field');
      if (where === 'in-transaction') {
        // The killed transaction's records are in the log (then aborted): read_committed is what hides them.
        const everything = await readTopic(kafka.address, topic, { readUncommitted: true });
        const batch2 = (r: { value: string | null }) => Math.floor(JSON.parse(r.value!).v / ROWS_PER_BATCH) === KILL_AT;
        assert.equal(everything.length, (BATCHES + 1) * ROWS_PER_BATCH, 'read_uncommitted: batch 2 twice (aborted + committed)');
        assert.equal(everything.filter(batch2).length, 2 * ROWS_PER_BATCH);
      }
    });
  }
});
