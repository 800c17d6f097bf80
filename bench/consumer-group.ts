/**
 * `npm run bench -- consumer-group`: how a kafka job scales with `group` (docs/kafka-source.md#consumer-groups).
 *
 * Each run makes a fresh topic of BENCH_PARTITIONS partitions (default 6) and starts the contestant's processes with
 * the built CLI (`streamlab run`, file sink, JSON Lines, default trigger, startingOffsets latest, maxOffsetsPerTrigger
 * BENCH_MAX_OFFSETS per process, default 20,000): `plain` is one process without group (the baseline), `group-N` is N
 * processes of the same job in one fresh consumer group, each in its own working directory. Once every process is
 * reading (plain: it logged its initial offsets; group: every member logged the same generation's partitions), the
 * bench produces BENCH_RECORDS records (default 150,000) of ~200 bytes, and the clock runs from the first send until
 * every record is in the sinks (group: the group's committed offsets reach the end of every partition). Process
 * start (Node loading the CLI, tens of seconds on a loaded machine) is reported apart. BENCH_RUNS rounds (default 3),
 * the order rotating; medians, and each ratio to plain. Every run checks that the sinks hold every record once.
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

const RECORDS = Number(process.env.BENCH_RECORDS ?? 150_000);
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
  return topic;
}

async function produce(topic: string): Promise<void> {
  const producer = new Producer({ clientId: 'bench-consumer-group', bootstrapBrokers: [broker], serializers: stringSerializers });
  const pad = 'x'.repeat(190);
  for (let from = 0; from < RECORDS; from += 2000) {
    const n = Math.min(2000, RECORDS - from);
    await producer.send({
      messages: Array.from({ length: n }, (_, j) => ({ topic, partition: (from + j) % PARTITIONS, value: `${from + j} ${pad}` })),
    });
  }
  await producer.close();
}

function workspace(topic: string, group: string | undefined): string {
  const cwd = mkdtempSync(join(tmpdir(), 'bench-consumer-group-'));
  mkdirSync(join(cwd, 'jobs'));
  const groupLine = group ? `\n  group: ${group}\n  groupSessionTimeout: 6s` : '';
  writeFileSync(
    join(cwd, 'jobs', 'g.yaml'),
    `name: g\nsource:\n  type: kafka\n  bootstrapServers: "${broker}"\n  subscribe: ${topic}\n  startingOffsets: latest\n  maxOffsetsPerTrigger: ${MAX_OFFSETS}${groupLine}\nsink: { type: file, format: jsonl, path: out }\n`,
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

/** The group's committed offsets, one per partition committed (a start committed counts: latest is pinned so). */
async function groupOffsets(admin: Admin, group: string): Promise<number[]> {
  const [answer] = await admin.listConsumerGroupOffsets({ groups: [group] });
  return (answer?.topics ?? []).flatMap((t) => t.partitions.map((p) => Number(p.committedOffset))).filter((o) => o >= 0);
}

async function groupDone(admin: Admin, group: string): Promise<boolean> {
  const offsets = await groupOffsets(admin, group);
  return offsets.length === PARTITIONS && offsets.reduce((a, b) => a + b, 0) === RECORDS;
}

/** Every process is reading: plain logged its initial offsets; in a group, all logged the same generation's partitions. */
function reading(outputs: string[], group: string | undefined): boolean {
  if (!group) return /initial offsets/.test(outputs[0]);
  const generations = outputs.map((o) => [...o.matchAll(/generation (\d+): this member reads \S+-\d/g)].at(-1)?.[1]);
  return generations.every((g) => g !== undefined && g === generations[0]);
}

async function deleteTopic(topic: string): Promise<void> {
  const admin = new Admin({ clientId: 'bench-consumer-group', bootstrapBrokers: [broker] });
  await admin.deleteTopics({ topics: [topic] });
  await admin.close();
}

/** One run: seconds from spawn until every process reads, and rows/s from the first record sent until all are written. */
async function run(name: string): Promise<{ startSeconds: number; rate: number }> {
  const processes = name === 'plain' ? 1 : Number(name.split('-')[1]);
  const group = name === 'plain' ? undefined : `bench-consumer-group-${randomBytes(4).toString('hex')}`;
  const topic = await makeTopic();
  const dirs = Array.from({ length: processes }, () => workspace(topic, group));
  const admin = new Admin({ clientId: 'bench-consumer-group-poll', bootstrapBrokers: [broker] });
  const spawned = performance.now();
  const children: ChildProcess[] = dirs.map((cwd) =>
    spawn(process.execPath, [cliPath, 'run', 'g'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const outputs = children.map(() => '');
  children.forEach((c, i) => {
    c.stdout!.on('data', (d: Buffer) => (outputs[i] += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (outputs[i] += d.toString()));
  });
  try {
    // In a group, also every partition's start committed: records sent before it would be past `latest`.
    while (!reading(outputs, group) || (group !== undefined && (await groupOffsets(admin, group)).length < PARTITIONS)) {
      if (children.some((c) => c.exitCode !== null)) throw new Error(`${name}: a process exited early:\n${outputs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const startSeconds = (performance.now() - spawned) / 1000;
    const started = performance.now();
    await produce(topic);
    for (;;) {
      const done = group ? await groupDone(admin, group) : linesIn(dirs[0]).length >= RECORDS;
      if (done) break;
      if (children.some((c) => c.exitCode !== null)) throw new Error(`${name}: a process exited early:\n${outputs.join('\n')}`);
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
    return { startSeconds, rate: RECORDS / seconds };
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await admin.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await deleteTopic(topic);
  }
}

console.log(
  `consumer-group bench: ${RECORDS} records of ~200 bytes in ${PARTITIONS} partitions on ${broker}, ${RUNS} rounds; load average at start ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const rates: Record<string, number[]> = Object.fromEntries(CONTESTANTS.map((c) => [c, []]));
const starts: Record<string, number[]> = Object.fromEntries(CONTESTANTS.map((c) => [c, []]));
for (let round = 0; round < RUNS; round++) {
  const order = CONTESTANTS.map((_, i) => CONTESTANTS[(i + round) % CONTESTANTS.length]);
  for (const name of order) {
    const { startSeconds, rate } = await run(name);
    rates[name].push(rate);
    starts[name].push(startSeconds);
    console.log(
      `  round ${round + 1} ${name}: ${formatRate(rate)} rows/s, processes reading ${startSeconds.toFixed(1)} s after spawn (load ${loadavg()[0].toFixed(1)})`,
    );
  }
}
const plain = median(rates.plain);
console.log('\n| contestant | processes | median rows/s | vs plain | median start (s) |\n|---|---|---|---|---|');
for (const name of CONTESTANTS) {
  const m = median(rates[name]);
  const processes = name === 'plain' ? 1 : name.split('-')[1];
  console.log(`| ${name} | ${processes} | ${formatRate(m)} | ${(m / plain).toFixed(2)}x | ${median(starts[name]).toFixed(1)} |`);
}
console.log(
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
