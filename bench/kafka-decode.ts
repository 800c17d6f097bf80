/**
 * `npm run bench -- kafka-decode`: the kafka source's decoding alone, on the CPU, without the broker's speed in it.
 * Fetches BENCH_RECORDS records (default 200,000) of BENCH_RECORD_SIZE bytes (default 200) written to a fresh topic
 * of the broker of `npm run services`, in fetches of 1 MiB (the source's maxBytesPerFetch), keeps the fetched bytes,
 * then turns them into the source's rows, BENCH_RUNS times (default 5) each way, interleaved:
 *
 * - client: as the source did before its own decoder: @platformatic/kafka 1.35's readRecordsBatches over each fetch's
 *   bytes as the client holds them (a list of 64 KiB socket chunks), then the read_committed filter and a row per
 *   record from the client's record objects.
 * - streamlab: splitBatches (CRC checked) + committedBatches + visitRecords + recordDecoder (src/sources/kafka/decode-*).
 *
 * Prints records/s medians and the ratio, by wall time and by the process's CPU time (user + system, GC threads
 * included): on a machine shared with other work, CPU time moves far less from run to run than wall time. Both ways
 * produce the same rows (checked on every run).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Admin, Consumer, type KafkaRecord, Producer, Reader, type RecordsBatch, readRecordsBatches } from '@platformatic/kafka';
import { committedBatches as clientCommittedBatches } from '../src/connectors/kafka/committed-records.js';
import type { Row } from '../src/core/row.js';
import { committedBatches } from '../src/sources/kafka/decode-committed.js';
import { splitBatches } from '../src/sources/kafka/decode-record-batch.js';
import { emptyView, visitRecords } from '../src/sources/kafka/decode-records.js';
import { fetchPartition } from '../src/sources/kafka/fetch-partition.js';
import { recordDecoder } from '../src/sources/kafka/rows.js';
import { service } from '../test/support/services.js';
import { formatRate, median } from './stats.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const SIZE = Number(process.env.BENCH_RECORD_SIZE ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FETCH_BYTES = 1 << 20;
const CHUNK = 64 << 10;

const kafka = service('kafka');
if (kafka.skip) {
  process.stderr.write(`${kafka.skip}\n`);
  process.exit(2);
}
const topic = `kafka-decode-bench-${randomBytes(3).toString('hex')}`;
const admin = new Admin({ clientId: 'streamlab-bench-decode', bootstrapBrokers: [kafka.address] });
const consumer = new Consumer({ clientId: 'streamlab-bench-decode', groupId: `${topic}-unused`, bootstrapBrokers: [kafka.address] });

/** The fetches' record bytes, in order. */
async function writeAndFetch(): Promise<Buffer[]> {
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
  const producer = new Producer({ clientId: 'streamlab-bench-decode', bootstrapBrokers: [kafka.address], acks: -1 });
  const filler = Buffer.alloc(SIZE - 10, 'x');
  for (let i = 0; i < RECORDS; i += 2000) {
    const messages = Array.from({ length: Math.min(2000, RECORDS - i) }, (_, j) => ({
      topic,
      partition: 0,
      value: Buffer.concat([Buffer.from(String(i + j).padStart(10, '0')), filler]),
    }));
    await producer.send({ messages });
  }
  await producer.close();
  const metadata = await admin.metadata({ topics: [topic] });
  const found = metadata.topics.get(topic);
  const broker = found && metadata.brokers.get(found.partitions[0].leader);
  if (!found || !broker) throw new Error(`no leader for ${topic}`);
  const fetched: Buffer[] = [];
  for (let position = 0; position < RECORDS; ) {
    const request = { broker, topicId: found.id, partition: 0, offset: position, maxBytes: FETCH_BYTES, isolationLevel: 1, maxWaitMs: 100 };
    const answer = await fetchPartition(consumer.connections, request);
    const last = answer && splitBatches(answer.records, topic).at(-1);
    if (!answer || !last) throw new Error(`nothing fetched at ${position}`);
    fetched.push(answer.records);
    position = last.baseOffset + last.lastOffsetDelta + 1;
  }
  return fetched;
}

/** The rows of the source before its decoder (rows.ts then, on the client's record objects). */
function clientRows(fetches: Buffer[]): Row[] {
  const rows: Row[] = [];
  for (const bytes of fetches) {
    const dynamic = Reader.from(bytes).buffer;
    const chunks = Array.from({ length: Math.ceil(bytes.length / CHUNK) }, (_, i) => bytes.subarray(i * CHUNK, (i + 1) * CHUNK));
    const Chunked = dynamic.constructor as new (buffers: Buffer[]) => typeof dynamic;
    const batches: RecordsBatch[] = readRecordsBatches(new Reader(new Chunked(chunks)));
    const readable = clientCommittedBatches(batches, []);
    for (const batch of batches) {
      if (!readable.has(batch)) continue;
      for (const record of batch.records) rows.push(clientRow(batch, record, Number(batch.firstOffset) + record.offsetDelta));
    }
  }
  return rows;
}

function clientRow(batch: RecordsBatch, record: KafkaRecord, offset: number): Row {
  const logAppend = (batch.attributes & 8) !== 0;
  const millis = logAppend ? Number(batch.maxTimestamp) : Number(batch.firstTimestamp) + Number(record.timestampDelta);
  return {
    key: record.key == null ? null : record.key.toString('utf8'),
    value: record.value == null ? null : record.value.toString('utf8'),
    topic,
    partition: 0,
    offset,
    timestamp: new Date(millis),
    timestampType: logAppend ? 1 : 0,
  };
}

const decode = recordDecoder('text', false);
function streamlabRows(fetches: Buffer[]): Row[] {
  const rows: Row[] = [];
  const view = emptyView();
  for (const bytes of fetches) {
    for (const batch of committedBatches(splitBatches(bytes, topic), [], topic)) {
      visitRecords(batch, 0, Number.MAX_SAFE_INTEGER, topic, view, (record) => rows.push(decode(topic, 0, record)));
    }
  }
  return rows;
}

try {
  const fetches = await writeAndFetch();
  const megabytes = fetches.reduce((n, b) => n + b.length, 0) / 1e6;
  process.stdout.write(
    `kafka-decode: ${RECORDS.toLocaleString('en')} records of ${SIZE} bytes in ${fetches.length} fetches (${megabytes.toFixed(1)} MB), ${RUNS} runs each, interleaved\n`,
  );
  const rates: Record<'client' | 'streamlab', number[]> = { client: [], streamlab: [] };
  const cpuRates: Record<'client' | 'streamlab', number[]> = { client: [], streamlab: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const [name, rowsOf] of [
      ['client', clientRows],
      ['streamlab', streamlabRows],
    ] as const) {
      const start = performance.now();
      const cpu = process.cpuUsage();
      const rows = rowsOf(fetches);
      const seconds = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      cpuRates[name].push(RECORDS / ((used.user + used.system) / 1e6));
      if (rows.length !== RECORDS || rows[RECORDS - 1].offset !== RECORDS - 1 || !String(rows[123].value).startsWith('0000000123')) {
        throw new Error(`${name}: wrong rows (${rows.length})`);
      }
      rates[name].push(RECORDS / seconds);
    }
  }
  for (const [label, table] of [
    ['wall time', rates],
    ['CPU time', cpuRates],
  ] as const) {
    const client = median(table.client);
    const ours = median(table.streamlab);
    process.stdout.write(
      `  by ${label}: @platformatic/kafka readRecordsBatches + rows ${formatRate(client)} records/s (runs ${table.client.map(formatRate).join(', ')}); ` +
        `streamlab decoder + rows ${formatRate(ours)} records/s (runs ${table.streamlab.map(formatRate).join(', ')}); streamlab / client ${(ours / client).toFixed(2)}x\n`,
    );
  }
} finally {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await Promise.allSettled([admin.close(), consumer.close(true)]);
}
