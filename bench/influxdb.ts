/**
 * The influxdb sink against a minimal hand-written line-protocol HTTP writer, in the same run, against the same
 * server, with the same points, batch size (lines per request) and concurrency (requests in flight).
 *
 *   npm run bench -- influxdb [--points 1000000] [--runs 3] [--api v2|v1|both] [--batch-size N] [--concurrency N]
 *                             [--gzip] [--micro-batch 100000]
 *   npm run bench -- influxdb --sweep [--sweep-batch-sizes 1000,5000] [--sweep-concurrency 1,2,4] [--sweep-gzip false,true]
 *
 * v2 writes to InfluxDB 1.8.10 (`/api/v2/write`, service influxdb18), v1 to InfluxDB 1.6.7 (`/write`, service
 * influxdb1); both must be up (`npm run services -- up`). Each run writes into a freshly created database, so every
 * run starts from the same empty server; writers alternate (sink, baseline, sink, ...) so drift hits both alike.
 * Prints points/s (median of the runs), the ratio sink / baseline, and the latency of one request (one batch of
 * `batchSize` lines) at p50 and p99. `--sweep` instead times the sink alone over batch sizes, concurrencies and
 * gzip, to choose the defaults.
 */
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import type { Row } from '../src/core/row.js';
import type { Schema } from '../src/core/schema.js';
import { silentLogger } from '../src/core/logger.js';
import { influxdbSink } from '../src/sinks/influxdb/index.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY } from '../src/sinks/influxdb/options.js';
import { LineProtocolWriter } from '../src/sinks/influxdb/writer.js';
import { service } from '../test/support/services.js';
import { formatRate, median, percentile } from './stats.js';

const { values: args } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    api: { type: 'string', default: 'both' },
    'batch-size': { type: 'string', default: String(DEFAULT_BATCH_SIZE) },
    concurrency: { type: 'string', default: String(DEFAULT_CONCURRENCY) },
    'micro-batch': { type: 'string', default: '100000' },
    gzip: { type: 'boolean', default: false },
    sweep: { type: 'boolean', default: false },
    'sweep-batch-sizes': { type: 'string', default: '1000,5000,10000,20000' },
    'sweep-concurrency': { type: 'string', default: '1,2,4,8' },
    'sweep-gzip': { type: 'string', default: 'false,true' },
  },
});

const POINTS = Number(args.points);
const RUNS = Number(args.runs);
const MICRO_BATCH = Number(args['micro-batch']);
const DATABASE = 'streamlab_bench';
const MEASUREMENT = 'bench';

const schema: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'host', type: 'string' },
  { name: 'value', type: 'double' },
  { name: 'count', type: 'long' },
];

/** 10 hosts, a double and a long per point, one point per ms: the shape of a telemetry stream. */
function makeRows(n: number): Row[] {
  const start = Date.UTC(2026, 0, 1);
  const rows: Row[] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = { timestamp: new Date(start + i), host: `host-${i % 10}`, value: i * 0.25, count: i };
  return rows;
}

interface Setup {
  api: 'v1' | 'v2';
  url: string;
  batchSize: number;
  concurrency: number;
  gzip: boolean;
}

interface Result {
  seconds: number;
  latenciesMs: number[];
}

/** Reads the whole answer: InfluxDB 1.x sends the status line before it runs the statement. */
async function influxQL(url: string, q: string): Promise<void> {
  const response = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q }) });
  const text = await response.text();
  if (!response.ok || text.includes('"error"')) throw new Error(`${q}: HTTP ${response.status} ${text}`);
}

async function freshDatabase(url: string): Promise<void> {
  await influxQL(url, `DROP DATABASE ${DATABASE}`);
  await influxQL(url, `CREATE DATABASE ${DATABASE}`);
}

/** The sink as a job uses it: one foreachBatch per micro-batch. Request latencies are read by timing its writer. */
async function runSink(setup: Setup, rows: Row[]): Promise<Result> {
  const sink = influxdbSink.create(
    influxdbSink.options.parse({
      api: setup.api,
      url: setup.url,
      bucket: DATABASE,
      measurement: MEASUREMENT,
      tags: ['host'],
      batchSize: setup.batchSize,
      concurrency: setup.concurrency,
      gzip: setup.gzip,
    }),
    {
      input: schema,
      location: { path: 'sink' },
      queryName: 'bench',
      compile: () => {
        throw new Error('no expressions here');
      },
    },
  );
  const latenciesMs: number[] = [];
  const original = LineProtocolWriter.prototype.write;
  LineProtocolWriter.prototype.write = async function timed(this: LineProtocolWriter, body: string) {
    const t0 = performance.now();
    await original.call(this, body);
    if (body) latenciesMs.push(performance.now() - t0);
  };
  try {
    await sink.open({ queryId: 'bench', queryName: 'bench', outputMode: 'append', logger: silentLogger });
    const t0 = performance.now();
    for (let from = 0, batchId = 0; from < rows.length; from += MICRO_BATCH, batchId++) {
      await sink.foreachBatch(rows.slice(from, from + MICRO_BATCH), batchId);
    }
    const seconds = (performance.now() - t0) / 1000;
    await sink.close();
    return { seconds, latenciesMs };
  } finally {
    LineProtocolWriter.prototype.write = original;
  }
}

/**
 * The baseline: what one writes by hand for these known-safe values (no escaping, no type checks), node:http with a
 * keep-alive agent, the same micro-batches split into the same requests, `concurrency` in flight.
 */
async function runBaseline(setup: Setup, rows: Row[]): Promise<Result> {
  const { hostname, port } = new URL(setup.url);
  const agent = new Agent({ keepAlive: true, maxSockets: setup.concurrency });
  const path = setup.api === 'v2' ? `/api/v2/write?bucket=${DATABASE}&precision=ms` : `/write?db=${DATABASE}&precision=ms`;
  const latenciesMs: number[] = [];

  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const req = request({ hostname, port, path, method: 'POST', agent, headers: { 'content-type': 'text/plain' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk));
        res.on('end', () => {
          latenciesMs.push(performance.now() - t0);
          if (res.statusCode === 204) resolve();
          else reject(new Error(`${path}: HTTP ${res.statusCode} ${text}`));
        });
      });
      req.on('error', reject);
      req.end(body);
    });

  const writeBatch = async (batch: Row[]) => {
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const from = next;
        next += setup.batchSize;
        const to = Math.min(batch.length, from + setup.batchSize);
        let body = '';
        for (let i = from; i < to; i++) {
          const r = batch[i];
          body += `${MEASUREMENT},host=${r.host} value=${r.value},count=${r.count}i ${(r.timestamp as Date).getTime()}\n`;
        }
        await post(body);
      }
    };
    await Promise.all(Array.from({ length: setup.concurrency }, worker));
  };

  const t0 = performance.now();
  for (let from = 0; from < rows.length; from += MICRO_BATCH) await writeBatch(rows.slice(from, from + MICRO_BATCH));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { seconds, latenciesMs };
}

/** Every point arrived: a wrong count would make the figures meaningless. */
async function countPoints(url: string): Promise<number> {
  const response = await fetch(`${url}/query?db=${DATABASE}`, {
    method: 'POST',
    body: new URLSearchParams({ q: `SELECT count("count") FROM ${MEASUREMENT}` }),
  });
  const json = (await response.json()) as { results: Array<{ series?: Array<{ values: Array<[string, number]> }> }> };
  return json.results[0].series?.[0].values[0][1] ?? 0;
}

async function timed(setup: Setup, rows: Row[], writer: typeof runSink): Promise<Result> {
  await freshDatabase(setup.url);
  const result = await writer(setup, rows);
  const count = await countPoints(setup.url);
  if (count !== rows.length) throw new Error(`expected ${rows.length} points in ${DATABASE}, found ${count}`);
  return result;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

async function compare(setup: Setup, server: string, rows: Row[]): Promise<void> {
  process.stdout.write(
    `\n${setup.api} (${server} at ${setup.url}): ${rows.length} points, micro-batches of ${MICRO_BATCH}, batchSize ${setup.batchSize}, ` +
      `concurrency ${setup.concurrency}, gzip ${setup.gzip}, ${RUNS} runs each\n`,
  );
  await timed(setup, rows.slice(0, MICRO_BATCH), runSink); // warm-up: JIT, sockets, the server's first shard
  await timed(setup, rows.slice(0, MICRO_BATCH), runBaseline);
  const sink: Result[] = [];
  const base: Result[] = [];
  for (let run = 0; run < RUNS; run++) {
    sink.push(await timed(setup, rows, runSink));
    base.push(await timed(setup, rows, runBaseline));
    process.stdout.write(
      `  run ${run + 1}: sink ${formatRate(rows.length / sink[run].seconds)}/s, baseline ${formatRate(rows.length / base[run].seconds)}/s\n`,
    );
  }
  const rate = (results: Result[]) => median(results.map((r) => rows.length / r.seconds));
  const latencies = (results: Result[]) => results.flatMap((r) => r.latenciesMs);
  const line = (name: string, results: Result[]) =>
    `  ${name.padEnd(28)} ${formatRate(rate(results)).padStart(8)} points/s   request p50 ${ms(percentile(latencies(results), 50))}, p99 ${ms(percentile(latencies(results), 99))}\n`;
  process.stdout.write(line('influxdb sink', sink));
  process.stdout.write(line('hand-written writer', base));
  process.stdout.write(`  ratio sink / baseline: ${((rate(sink) / rate(base)) * 100).toFixed(1)}%\n`);
}

async function sweep(setup: Setup, rows: Row[]): Promise<void> {
  process.stdout.write(`\nsweep, ${setup.api} at ${setup.url}: sink points/s (median of ${RUNS}) over ${rows.length} points\n`);
  process.stdout.write('  batchSize  concurrency  gzip   points/s   p50 / p99 request\n');
  const list = (name: string) => String(args[name as keyof typeof args]).split(',');
  for (const gzip of list('sweep-gzip').map((g) => g === 'true')) {
    for (const batchSize of list('sweep-batch-sizes').map(Number)) {
      for (const concurrency of list('sweep-concurrency').map(Number)) {
        const s = { ...setup, batchSize, concurrency, gzip };
        const results: Result[] = [];
        for (let run = 0; run < RUNS; run++) results.push(await timed(s, rows, runSink));
        const lat = results.flatMap((r) => r.latenciesMs);
        process.stdout.write(
          `  ${String(batchSize).padStart(9)}  ${String(concurrency).padStart(11)}  ${String(gzip).padEnd(5)}  ${formatRate(median(results.map((r) => rows.length / r.seconds))).padStart(8)}   ${ms(percentile(lat, 50))} / ${ms(percentile(lat, 99))}\n`,
        );
      }
    }
  }
}

const targets = (['v2', 'v1'] as const).filter((api) => args.api === 'both' || args.api === api);
const rows = makeRows(POINTS);
for (const api of targets) {
  const server = service(api === 'v2' ? 'influxdb18' : 'influxdb1');
  if (server.skip) {
    process.stdout.write(`\n${api}: skipped, ${server.skip}\n`);
    continue;
  }
  const setup: Setup = {
    api,
    url: `http://${server.address}`,
    batchSize: Number(args['batch-size']),
    concurrency: Number(args.concurrency),
    gzip: args.gzip,
  };
  try {
    if (args.sweep) await sweep(setup, rows);
    else await compare(setup, server.name, rows);
  } finally {
    await influxQL(setup.url, `DROP DATABASE ${DATABASE}`);
  }
}
