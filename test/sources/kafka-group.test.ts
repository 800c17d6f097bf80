/**
 * Consumer-group scale-out against the real Kafka, through the built CLI: three processes run the same job with
 * `group`, each with its own working directory (checkpoint and file sink). One is killed with SIGKILL in the middle of
 * its run and restarted on its checkpoint once the group has given its partitions to the others. Every record of the
 * topic reaches the sinks exactly once: every row is compared (key, value, topic, partition, offset).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { Admin } from '@platformatic/kafka';
import { exited, startCli } from '../support/cli.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { service } from '../support/services.js';
import { makeTempDir } from '../support/temp-dir.js';
import { TestKafka } from './kafka-fixtures/test-kafka.js';

const kafka = service('kafka');
const PARTITIONS = 6;
const RECORDS = 60_000;

interface OutRow {
  key: string;
  value: string;
  topic: string;
  partition: number;
  offset: number;
  timestamp: string;
  timestampType: number;
}

function workspace(topic: string, group: string): string {
  const cwd = makeTempDir('streamlab-kafka-group-');
  mkdirSync(join(cwd, 'jobs'));
  writeFileSync(
    join(cwd, 'jobs', 'g.yaml'),
    `name: g
source:
  type: kafka
  bootstrapServers: "\${KAFKA_BOOTSTRAP_SERVERS}"
  subscribe: ${topic}
  group: ${group}
  groupSessionTimeout: 6s
  startingOffsets: earliest
  maxOffsetsPerTrigger: 1200
sink: { type: file, format: jsonl, path: out }
`,
  );
  return cwd;
}

function rowsIn(cwd: string): OutRow[] {
  const dir = join(cwd, 'out');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as OutRow),
    );
}

/** The committed offsets of the group with their metadata (the claims), as Kafka keeps them. */
async function committed(group: string): Promise<Array<{ partition: number; offset: number; metadata: string | null }>> {
  const admin = new Admin({ clientId: 'kafka-group-test', bootstrapBrokers: [kafka.address!] });
  try {
    const [answer] = await admin.listConsumerGroupOffsets({ groups: [group] });
    return (answer?.topics ?? []).flatMap((t) =>
      t.partitions.map((p) => ({ partition: p.partitionIndex, offset: Number(p.committedOffset), metadata: p.metadata ?? null })),
    );
  } finally {
    await admin.close();
  }
}

/** Checks every half second (reading the sink's files is not free) until `check` holds; throws after `timeoutMs`. */
async function poll(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 500));
  }
}

describeOrSkip('kafka source group mode: three processes, one killed', { skip: kafka.skip, timeout: 240_000 }, () => {
  let k: TestKafka;
  const children: ChildProcess[] = [];
  before(() => {
    k = new TestKafka(kafka.address!);
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await k?.close();
  });

  it('every record reaches the sinks exactly once, the killed member restarted on its checkpoint', async () => {
    const topic = await k.topic('group', PARTITIONS);
    const group = `kafka-group-test-${randomBytes(4).toString('hex')}`;
    const dirs = [workspace(topic, group), workspace(topic, group), workspace(topic, group)];
    const env = { KAFKA_BOOTSTRAP_SERVERS: kafka.address! };
    const start = async (cwd: string) => {
      const started = await startCli(['run', 'g'], cwd, /generation \d+: this member reads/, env);
      children.push(started.child);
      return started;
    };
    // All three in the group before the records come, so that each has partitions to read.
    const [a, b, c] = await Promise.all(dirs.map(start));
    await poll(
      () =>
        [a, b, c].every((p) =>
          /generation \d+: this member reads \S+-\d/.test(
            p
              .output()
              .split('\n')
              .filter((l) => l.includes('generation'))
              .at(-1) ?? '',
          ),
        ),
      60_000,
    );
    const t0 = Date.now() - RECORDS;
    const producing = (async () => {
      for (let from = 0; from < RECORDS; from += 5000) {
        await k.produce(
          topic,
          Array.from({ length: 5000 }, (_, j) => {
            const i = from + j;
            return { partition: i % PARTITIONS, key: `k${i}`, value: `v${i}`, timestamp: t0 + i };
          }),
        );
      }
    })();

    // Killed mid-run: it has written batches; the next one (default trigger: at once) is in flight.
    // Killed while it holds a claim (its batch's ranges are claimed in the group: the batch may be in its sink already,
    // its offsets are not committed), the case the claims are for; else wherever it is after 20 s of trying.
    await poll(() => /batch 3:/.test(a.output()), 60_000);
    const member = /member (\S+) of group/.exec(a.output())![1];
    const tryUntil = Date.now() + 20_000;
    while (Date.now() < tryUntil && !(await committed(group)).some((p) => p.metadata?.includes(`"member":"${member}"`))) {
      await new Promise((r) => setTimeout(r, 10));
    }
    a.child.kill('SIGKILL');
    await exited(a.child);
    const killedAt = rowsIn(dirs[0]).length;
    // The group notices after the session timeout and gives its partitions to b and c.
    await new Promise((r) => setTimeout(r, 9000));
    const claimsLeft = (await committed(group)).filter((p) => p.metadata?.includes('"intent"'));

    await producing;
    const a2 = await start(dirs[0]);
    await poll(() => dirs.reduce((n, d) => n + rowsIn(d).length, 0) >= RECORDS, 120_000);
    await new Promise((r) => setTimeout(r, 2000)); // a duplicate written late would show now
    for (const p of [a2, b, c]) p.child.kill('SIGINT');
    const codes = await Promise.all([a2, b, c].map((p) => exited(p.child)));
    assert.deepEqual(codes, [0, 0, 0], [a2, b, c].map((p) => p.output()).join('\n----\n'));

    const rows = dirs.flatMap(rowsIn);
    const byValue = new Map<string, OutRow[]>();
    for (const row of rows) byValue.set(row.value, [...(byValue.get(row.value) ?? []), row]);
    const twice = [...byValue].filter(([, found]) => found.length > 1).map(([v]) => v);
    assert.deepEqual(twice.slice(0, 10), [], `${twice.length} records written more than once`);
    assert.equal(rows.length, RECORDS);
    for (let i = 0; i < RECORDS; i++) {
      assert.deepEqual(byValue.get(`v${i}`), [
        {
          key: `k${i}`,
          value: `v${i}`,
          topic,
          partition: i % PARTITIONS,
          offset: Math.floor(i / PARTITIONS),
          timestamp: new Date(t0 + i).toISOString(),
          timestampType: 0,
        },
      ]);
    }
    // Each process wrote part of it; the group ends with every partition committed at its end, no claim left.
    assert.ok(
      dirs.every((d) => rowsIn(d).length > 0),
      `rows per process: ${dirs.map((d) => rowsIn(d).length).join(', ')}\n${[a, a2, b, c].map((p) => p.output()).join('\n----\n')}`,
    );
    const end = await committed(group);
    assert.deepEqual(
      end.map((p) => [p.partition, p.offset, p.metadata?.includes('"intent"') ?? false]).sort((x, y) => Number(x[0]) - Number(y[0])),
      Array.from({ length: PARTITIONS }, (_, p) => [p, RECORDS / PARTITIONS, false]),
    );
    const waited = [b, c].some((p) => /waits: member/.test(p.output()));
    // What the kill left is reported: a claim of the killed member outstanding (the case the claims exist for) makes
    // the others wait for its restart rather than read its partitions again.
    if (claimsLeft.length > 0) assert.ok(waited, 'a claim of the killed member was outstanding, yet no survivor waited for it');
    console.log(
      `killed after ${killedAt} rows; claims it left: ${claimsLeft.map((p) => p.partition).join(', ') || 'none'}; survivors waited: ${waited}; rows per process: ${dirs.map((d) => rowsIn(d).length).join(', ')}`,
    );
  });
});
