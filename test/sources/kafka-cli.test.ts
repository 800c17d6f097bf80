/**
 * A kafka job run by the built CLI against the real Kafka: killed with SIGKILL mid-run and restarted on its checkpoint,
 * every record of every partition reaches the file sink exactly once, in offset order; and a broker that cannot be
 * reached at start ends the run with one clear line and exit code 1 after the bounded retries.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { exited, killedAndRestarted, startCli } from '../support/cli.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { freePort } from '../support/private-server.js';
import { service } from '../support/services.js';
import { makeTempDir } from '../support/temp-dir.js';
import { TestKafka } from './kafka-fixtures/test-kafka.js';

const kafka = service('kafka');
const PARTITIONS = 3;
const RECORDS = 6000;

function writeJob(cwd: string, name: string, source: string): void {
  mkdirSync(join(cwd, 'jobs'), { recursive: true });
  writeFileSync(
    join(cwd, 'jobs', `${name}.yaml`),
    `name: ${name}\nsource: ${source}\nsink: { type: file, format: jsonl, path: out }\ntrigger: { processingTime: 50ms }\n`,
  );
}

describeOrSkip('kafka jobs through the CLI against Kafka 3.9', { skip: kafka.skip, timeout: 180_000 }, () => {
  let k: TestKafka;
  before(() => {
    k = new TestKafka(kafka.address);
  });
  after(async () => {
    await k?.close();
  });

  it('killed with SIGKILL and restarted: every record once, in offset order per partition', async () => {
    const topic = await k.topic('kill', PARTITIONS);
    for (let from = 0; from < RECORDS; from += 1000) {
      await k.produce(
        topic,
        Array.from({ length: 1000 }, (_, i) => ({ partition: (from + i) % PARTITIONS, key: `k${from + i}`, value: `v${from + i}` })),
      );
    }
    const cwd = makeTempDir('streamlab-kafka-kill-');
    writeJob(
      cwd,
      'kafka-kill',
      `{ type: kafka, bootstrapServers: "\${KAFKA_BOOTSTRAP_SERVERS}", subscribe: ${topic}, startingOffsets: earliest, maxOffsetsPerTrigger: 300 }`,
    );
    await killedAndRestarted('kafka-kill', cwd, { KAFKA_BOOTSTRAP_SERVERS: kafka.address });

    const files = readdirSync(join(cwd, 'out'))
      .filter((f) => f.endsWith('.jsonl'))
      .sort();
    const rows = files.flatMap((f) =>
      readFileSync(join(cwd, 'out', f), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as { key: string; value: string; partition: number; offset: number; topic: string }),
    );
    assert.ok(files.length >= 6, `${files.length} batches written`);
    for (let p = 0; p < PARTITIONS; p++) {
      const mine = rows.filter((r) => r.partition === p);
      assert.deepEqual(
        mine.map((r) => r.offset),
        mine.map((_, i) => i),
        `partition ${p}: offsets 0..${mine.length - 1}, each once, in order`,
      );
      // Record i of the production went to partition i % 3 at offset floor(i / 3).
      assert.deepEqual(
        mine.map((r) => [r.key, r.value, r.topic]),
        mine.map((r) => [`k${r.offset * PARTITIONS + p}`, `v${r.offset * PARTITIONS + p}`, topic]),
      );
    }
    assert.ok(rows.length >= 6 * 300 - PARTITIONS, `${rows.length} records read`);
  });

  it('a broker that cannot be reached at start: retries, then one line naming the address, exit 1', async () => {
    const cwd = makeTempDir('streamlab-kafka-down-');
    const port = await freePort();
    writeJob(
      cwd,
      'kafka-down',
      `{ type: kafka, bootstrapServers: "127.0.0.1:${port}", subscribe: t, maxRetries: 2, backoff: { initial: 10ms, max: 20ms } }`,
    );
    const run = await startCli(['run', 'kafka-down'], cwd, /^/);
    const code = await exited(run.child);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const output = run.output();
    assert.equal(code, 1, output);
    assert.match(output, new RegExp(`kafka 127\\.0\\.0\\.1:${port}: kafka source listing the partitions failed: `));
    assert.match(output, /retry 2\/2/);
    assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  });
});
