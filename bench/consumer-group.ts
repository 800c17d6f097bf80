/**
 * `npm run bench -- consumer-group`: how a kafka job scales with `group` (docs/kafka-source.md#consumer-groups).
 *
 * One topic of BENCH_PARTITIONS partitions (default 6) holds BENCH_RECORDS records (default 300,000) of ~200 bytes.
 * Each contestant reads all of it with the built CLI (`streamlab run`, file sink, JSON Lines, default trigger,
 * maxOffsetsPerTrigger BENCH_MAX_OFFSETS per process, default 20,000): `plain` is one process without group (the
 * baseline), `group-N` is N processes of the same job in one fresh consumer group, each with its own working
 * directory. The clock runs from the spawn of the processes until the group's committed offsets reach the end of
 * every partition (polled every 100 ms; plain: until its sink has every record), so process start and the group's
 * joins and rebalances are counted, as a user would see them. BENCH_RUNS rounds (default 3), the order rotating;
 * medians, and each ratio to plain. Every run checks that the sinks hold every record exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { cliPath } from '../test/support/cli.js';
import { service } from '../test/support/services.js';
import { formatRate, median } from './stats.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 300_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MAX_OFFSETS = Number(process.env.BENCH_MAX_OFFSETS ?? 20_000);
const CONTESTANTS = ['plain', 'group-1', 'group-2', 'group-3'];

const kafka = service('kafka');
if (kafka.skip) {
  process.stderr.write(`${kafka.skip}\n`);
  process.exit(2);
}
const broker = kafka.address;

async function makeTopic(): Promise<string> {
  const topic = `bench-consumer-group-${randomBytes(4).toString('hex')}`;
  const admin = new Admin({ clientId: 'bench-consumer-group', bootstrapBrokers: [broker] });
  await admin.createTopics({ topics: [topic], partitions: PARTITIONS, replicas: 1 });
  await admin.close();
  const producer = new Producer({ clientId: 'bench-consumer-group', bootstrapBrokers: [broker], serializers: stringSerializers });
  const pad = 'x'.repeat(190);
  for (let from = 0; from < RECORDS; from += 2000) {
    const n = Math.min(2000, RECORDS - from);
    await producer.send({
      messages: Array.from({ length: n }, (_, j) => ({ topic, partition: (from + j) % PARTITIONS, value: `${from + j} ${pad}` })),
    });
  }
  await producer.close();
  return topic;
}

function workspace(topic: string, group: string | undefined): string {
  const cwd = mkdtempSync(join(tmpdir(), 'bench-consumer-group-'));
  mkdirSync(join(cwd, 'jobs'));
  const groupLine = group ? `\n  group: ${group}\n  groupSessionTimeout: 6s` : '';
  writeFileSync(
    join(cwd, 'jobs', 'g.yaml'),
    `name: g\nsource:\n  type: kafka\n  bootstrapServers: "${broker}"\n  subscribe: ${topic}\n  startingOffsets: earliest\n  maxOffsetsPerTrigger: ${MAX_OFFSETS}${groupLine}\nsink: { type: file, format: jsonl, path: out }\n`,
  );
  return cwd;
}

function linesIn(cwd: string): string[] {
  const dir = join(cwd, 'out');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0),
  );
}

async function groupDone(admin: Admin, group: string): Promise<boolean> {
  const [answer] = await admin.listConsumerGroupOffsets({ groups: [group] });
  const offsets = (answer?.topics ?? []).flatMap((t) => t.partitions.map((p) => Number(p.committedOffset)));
  const total = offsets.reduce((a, b) => a + Math.max(0, b), 0);
  return offsets.length === PARTITIONS && total === RECORDS;
}

async function run(topic: string, name: string): Promise<number> {
  const processes = name === 'plain' ? 1 : Number(name.split('-')[1]);
  const group = name === 'plain' ? undefined : `bench-consumer-group-${randomBytes(4).toString('hex')}`;
  const dirs = Array.from({ length: processes }, () => workspace(topic, group));
  const admin = new Admin({ clientId: 'bench-consumer-group-poll', bootstrapBrokers: [broker] });
  const started = performance.now();
  const children: ChildProcess[] = dirs.map((cwd) => spawn(process.execPath, [cliPath, 'run', 'g'], { cwd, stdio: 'ignore' }));
  try {
    for (;;) {
      const done = group ? await groupDone(admin, group) : linesIn(dirs[0]).length >= RECORDS;
      if (done) break;
      if (children.some((c) => c.exitCode !== null)) throw new Error(`${name}: a process exited early`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const exits = children.map((c) => new Promise((r) => c.once('exit', r)));
    for (const c of children) c.kill('SIGINT');
    await Promise.all(exits);
    const values = dirs.flatMap(linesIn).map((l) => (JSON.parse(l) as { value: string }).value.split(' ')[0]);
    if (values.length !== RECORDS || new Set(values).size !== RECORDS) {
      throw new Error(`${name}: ${values.length} rows, ${new Set(values).size} distinct, expected ${RECORDS} once each`);
    }
    return RECORDS / seconds;
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await admin.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

console.log(
  `consumer-group bench: ${RECORDS} records of ~200 bytes in ${PARTITIONS} partitions on ${broker}, ${RUNS} rounds; load average at start ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const topic = await makeTopic();
const rates: Record<string, number[]> = Object.fromEntries(CONTESTANTS.map((c) => [c, []]));
for (let round = 0; round < RUNS; round++) {
  const order = CONTESTANTS.map((_, i) => CONTESTANTS[(i + round) % CONTESTANTS.length]);
  for (const name of order) {
    const rate = await run(topic, name);
    rates[name].push(rate);
    console.log(`  round ${round + 1} ${name}: ${formatRate(rate)} rows/s (load ${loadavg()[0].toFixed(1)})`);
  }
}
const plain = median(rates.plain);
console.log('\n| contestant | processes | median rows/s | vs plain |\n|---|---|---|---|');
for (const name of CONTESTANTS) {
  const m = median(rates[name]);
  console.log(`| ${name} | ${name === 'plain' ? 1 : name.split('-')[1]} | ${formatRate(m)} | ${(m / plain).toFixed(2)}x |`);
}
console.log(
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const admin = new Admin({ clientId: 'bench-consumer-group', bootstrapBrokers: [broker] });
await admin.deleteTopics({ topics: [topic] });
await admin.close();
