/**
 * `npm run bench -- kafka`: the Node Kafka clients against Kafka's own perf tools on the same broker (the one
 * `npm run services -- up kafka` starts, or STREAMLAB_TEST_KAFKA=host:port), to choose streamlab's client
 * (docs/kafka-clients.md).
 *
 * Each contestant produces BENCH_RECORDS records (default 1,000,000) of BENCH_RECORD_SIZE bytes (default 200, no key,
 * no compression, acks=all) to a fresh topic of BENCH_PARTITIONS partitions (default 1), then reads them all back
 * from the earliest offset. The Node clients send BENCH_CHUNK records per call (default 2,000: a request stays under
 * the broker's 1 MB message.max.bytes) with BENCH_IN_FLIGHT calls outstanding (default 4), and their readers check
 * that every record came exactly once. The Java tools are ProducerPerformance (acks=all, its defaults otherwise) and
 * ConsumerPerformance (fetch.nMsg.sec: without the group join, as the Node readers' clocks). BENCH_RUNS rounds
 * (default 3), the contestants' order rotating each round; the report gives medians and their ratio to Java's, then
 * a transactions check (commit, abort, commit, read back read_committed) for the Node clients.
 * streamlab and streamlab-alo are streamlab's kafka sink (exactlyOnce, atLeastOnce) given the records as rows in
 * micro-batches, and its kafka source read through a real query (bench/kafka/streamlab.ts).
 * BENCH_CLIENTS=java,java-batched,kafkajs,platformatic,streamlab,streamlab-alo picks contestants; java-batched is ProducerPerformance with
 * batch.size=512 KiB and linger.ms=10, requests the size of the Node clients' send calls (the defaults, 16 KiB and 0,
 * send many small ones), and its ConsumerPerformance the same as java's.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Admin } from '@platformatic/kafka';
import { service } from '../test/support/services.js';
import type { BenchSettings, Contestant } from './kafka/contestant.js';
import { javaToolsContestant } from './kafka/java-tools.js';
import { kafkajsContestant } from './kafka/kafkajs.js';
import { platformaticContestant } from './kafka/platformatic.js';
import { makeWorkload } from './kafka/records.js';
import { streamlabContestant } from './kafka/streamlab.js';
import { formatRate, median } from './stats.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const SIZE = Number(process.env.BENCH_RECORD_SIZE ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 1);
const CLIENTS = (process.env.BENCH_CLIENTS ?? 'java,java-batched,kafkajs,platformatic,streamlab,streamlab-alo').split(',');

const kafka = service('kafka');
if (kafka.skip) {
  process.stderr.write(`${kafka.skip}\n`);
  process.exit(2);
}
const settings: BenchSettings = {
  broker: kafka.address,
  chunk: Number(process.env.BENCH_CHUNK ?? 2000),
  inFlight: Number(process.env.BENCH_IN_FLIGHT ?? 4),
};
const platformaticVersion = JSON.parse(
  readFileSync(new URL('../../node_modules/@platformatic/kafka/package.json', import.meta.url), 'utf8'),
).version as string;
const makers: Record<string, () => Contestant> = {
  java: () => javaToolsContestant(settings),
  'java-batched': () => javaToolsContestant(settings, ['batch.size=524288', 'linger.ms=10']),
  kafkajs: () => kafkajsContestant(settings),
  platformatic: () => platformaticContestant(settings, platformaticVersion),
  streamlab: () => streamlabContestant(settings, 'exactlyOnce'),
  'streamlab-alo': () => streamlabContestant(settings, 'atLeastOnce'),
};
const contestants = CLIENTS.map((name) => {
  const make = makers[name];
  if (!make) throw new Error(`BENCH_CLIENTS: unknown client ${name} (known: ${Object.keys(makers).join(', ')})`);
  return { key: name, contestant: make() };
});

const admin = new Admin({ clientId: 'streamlab-bench-admin', bootstrapBrokers: [kafka.address] });
const runId = randomBytes(3).toString('hex');
const topicName = (key: string, what: string) => `kafka-bench-${runId}-${key}-${what}`;

async function freshTopic(topic: string): Promise<void> {
  await admin.createTopics({ topics: [topic], partitions: PARTITIONS, replicas: 1 });
}

const workload = makeWorkload(RECORDS, SIZE);
const megabytes = (recordsPerSecond: number) => ((recordsPerSecond * SIZE) / 1e6).toFixed(1);
process.stdout.write(
  `Kafka clients at ${kafka.address}: ${RECORDS.toLocaleString('en')} records of ${SIZE} bytes, ${PARTITIONS} partition(s), acks=all, ` +
    `no compression; Node clients send ${settings.chunk} records per call, ${settings.inFlight} calls in flight; ${RUNS} rounds\n` +
    '@confluentinc/kafka-javascript: not measured, it does not install from the npm registry alone (docs/kafka-clients.md)\n',
);

const produced = new Map<string, number[]>();
const consumed = new Map<string, number[]>();
for (let round = 1; round <= RUNS; round++) {
  const order = contestants.map((_, i) => contestants[(i + round - 1) % contestants.length]);
  for (const { key, contestant } of order) {
    const topic = topicName(key, `r${round}`);
    await freshTopic(topic);
    const produceRate = await contestant.produce(topic, workload);
    const consumeRate = await contestant.consume(topic, workload);
    // streamlab's exactly-once sink made a commits topic of its own next to the topic.
    await admin.deleteTopics({ topics: key === 'streamlab' ? [topic, `${topic}-commits`] : [topic] });
    produced.set(key, [...(produced.get(key) ?? []), produceRate]);
    consumed.set(key, [...(consumed.get(key) ?? []), consumeRate]);
    process.stdout.write(
      `  round ${round} ${contestant.name}: produce ${formatRate(produceRate)} records/s, consume ${formatRate(consumeRate)} records/s\n`,
    );
  }
}

const transactions = new Map<string, string>();
for (const { key, contestant } of contestants) {
  if (!contestant.transactions) continue;
  const topic = topicName(key, 'txn');
  await freshTopic(topic);
  const problem = await contestant.transactions(topic).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  await admin.deleteTopics({ topics: [topic] });
  transactions.set(key, problem === undefined ? 'ok' : `FAILED: ${problem}`);
}

/** The faster of Kafka's own tools' configurations, per direction: the reference is the best the broker took. */
const best = (rates: Map<string, number[]>) =>
  Math.max(...[...rates].filter(([key]) => key.startsWith('java')).map(([, values]) => median(values)));
const reference = { produce: best(produced), consume: best(consumed) };
const ratio = (value: number, base: number) => (Number.isFinite(base) ? `${((value / base) * 100).toFixed(0)}%` : '');
process.stdout.write(
  `\nmedians of ${RUNS} rounds (records/s, MB/s; % of the faster Java configuration on the same broker in the same run)\n\n` +
    '| client | produce | MB/s | vs Java | consume | MB/s | vs Java | transactions |\n|---|---:|---:|---:|---:|---:|---:|---|\n',
);
for (const { key, contestant } of contestants) {
  const p = median(produced.get(key) ?? []);
  const c = median(consumed.get(key) ?? []);
  const txn = key.startsWith('java') ? '(not checked)' : (transactions.get(key) ?? '');
  process.stdout.write(
    `| ${contestant.name} | ${formatRate(p)} | ${megabytes(p)} | ${ratio(p, reference.produce)} | ${formatRate(c)} | ${megabytes(c)} | ${ratio(c, reference.consume)} | ${txn} |\n`,
  );
}
await admin.close();
