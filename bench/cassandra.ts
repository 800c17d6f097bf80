/**
 * The cassandra sink against the best hand-written cassandra-driver code for the same job, in the same run, against
 * the same server, with the same rows, micro-batches and statement:
 *
 *   npm run bench -- cassandra [--table seq|clustered|both] [--rows 500000] [--micro-batch 50000] [--runs 3]
 *                              [--concurrency 256] [--address host:port]
 *   npm run bench -- cassandra --sweep [--sweep-concurrency 32,64,128,256,512,1024] [--rows 200000]
 *
 * Two tables, the same rows (value, timestamp, host, reading):
 *   - seq:       PRIMARY KEY (value): every row its own partition, like the course's test.seq;
 *   - clustered: PRIMARY KEY (host, timestamp): 10 partitions, each receiving many rows per micro-batch.
 * Hand-written writers (prepared, idempotent, LOCAL_QUORUM, a client of their own with the sink's driver settings):
 *   - pool:       `concurrency` async workers, each awaiting client.execute() of one row before sending the next;
 *   - concurrent: the driver's own concurrent.executeConcurrent(client, query, params, { concurrencyLevel });
 *   - partition batches (clustered only): rows grouped by host, unlogged batches of 100 rows, `concurrency` workers.
 * The baseline is the fastest of them (by median); the sink is CassandraSink.foreachBatch per micro-batch, which
 * also checks and converts every value and finds the partitions itself.
 *
 * Every run rewrites the same keys of one table (INSERTs are upserts; Cassandra's cost per write is the same),
 * writers alternate (sink, pool, concurrent, ...) so drift (compaction, JIT, GC) hits all alike. Prints rows/s (median of the runs), the ratio sink / baseline, and micro-batch latency p50/p99.
 * The server is the one of `npm run services -- up cassandra` (or --address); it shares this machine's CPUs with
 * the benchmark, as a local test setup does.
 */
import { parseArgs } from 'node:util';
import cassandra from 'cassandra-driver';
import type { Row } from '../src/core/row.js';
import type { Schema } from '../src/core/schema.js';
import { silentLogger } from '../src/core/logger.js';
import { CassandraSink, CassandraSinkOptions, resolveConfig } from '../src/sinks/cassandra/index.js';
import { clientOptions, connectionConfig } from '../src/connectors/cassandra/connection.js';
import { DEFAULT_CONCURRENCY } from '../src/sinks/cassandra/options.js';
import { service } from '../test/support/services.js';
import { formatRate, median, percentile } from './stats.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '500000' },
    'micro-batch': { type: 'string', default: '50000' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: String(DEFAULT_CONCURRENCY) },
    address: { type: 'string' },
    table: { type: 'string', default: 'both' },
    sweep: { type: 'boolean', default: false },
    'sweep-concurrency': { type: 'string', default: '32,64,128,256,512,1024' },
  },
});

const ROWS = Number(args.rows);
const MICRO_BATCH = Number(args['micro-batch']);
const RUNS = Number(args.runs);
const ADDRESS = args.address ?? service('cassandra').address;
const KEYSPACE = 'streamlab_bench';
type Table = 'seq' | 'clustered';
const KEYS: Record<Table, string> = { seq: 'PRIMARY KEY (value)', clustered: 'PRIMARY KEY (host, timestamp)' };
const query = (table: Table) => `INSERT INTO "${KEYSPACE}"."${table}" ("value", "timestamp", "host", "reading") VALUES (?, ?, ?, ?)`;

const schema: Schema = [
  { name: 'value', type: 'long' },
  { name: 'timestamp', type: 'timestamp' },
  { name: 'host', type: 'string' },
  { name: 'reading', type: 'double' },
];

function makeRows(n: number): Row[] {
  const start = Date.UTC(2026, 0, 1);
  const rows: Row[] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = { value: i, timestamp: new Date(start + i), host: `host-${i % 10}`, reading: i * 0.25 };
  return rows;
}

interface Result {
  seconds: number;
  latenciesMs: number[];
}

type Writer = (batch: Row[], batchId: number) => Promise<void>;

/** Times `write` over every micro-batch of `rows`. */
async function timeBatches(rows: Row[], write: Writer): Promise<Result> {
  const latenciesMs: number[] = [];
  const start = performance.now();
  for (let from = 0, batchId = 0; from < rows.length; from += MICRO_BATCH, batchId++) {
    const batch = rows.slice(from, from + MICRO_BATCH);
    const t = performance.now();
    await write(batch, batchId);
    latenciesMs.push(performance.now() - t);
  }
  return { seconds: (performance.now() - start) / 1000, latenciesMs };
}

/** The hand-written code starts from the same rows; turning a row into its parameter array is part of its work. */
const params = (batch: Row[]) => batch.map((r) => [r.value, r.timestamp, r.host, r.reading]);

function handClient(table: Table): cassandra.Client {
  // The same driver settings as the sink's (prepared, idempotent, LOCAL_QUORUM, same pooling and timeouts).
  return new cassandra.Client(
    clientOptions(connectionConfig(CassandraSinkOptions.parse({ contactPoints: ADDRESS, keyspace: KEYSPACE, table }))),
  );
}

function pool(client: cassandra.Client, table: Table, concurrency: number): Writer {
  const options = { prepare: true, isIdempotent: true };
  const q = query(table);
  return async (batch) => {
    const all = params(batch);
    let next = 0;
    const worker = async () => {
      while (next < all.length) await client.execute(q, all[next++], options);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, all.length) }, worker));
  };
}

function concurrent(client: cassandra.Client, table: Table, concurrency: number): Writer {
  const q = query(table);
  return async (batch) => {
    await cassandra.concurrent.executeConcurrent(client, q, params(batch), { concurrencyLevel: concurrency });
  };
}

/** Knows the key: groups by host, unlogged batches of 100 rows of one partition. */
function partitionBatches(client: cassandra.Client, table: Table, concurrency: number): Writer {
  const options = { prepare: true, isIdempotent: true, logged: false };
  const q = query(table);
  return async (batch) => {
    const byHost = new Map<unknown, Array<{ query: string; params: unknown[] }>>();
    for (const p of params(batch)) {
      const group = byHost.get(p[2]);
      if (group) group.push({ query: q, params: p });
      else byHost.set(p[2], [{ query: q, params: p }]);
    }
    const requests: Array<Array<{ query: string; params: unknown[] }>> = [];
    for (const group of byHost.values()) for (let i = 0; i < group.length; i += 100) requests.push(group.slice(i, i + 100));
    let next = 0;
    const worker = async () => {
      while (next < requests.length) await client.batch(requests[next++], options);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  };
}

function sink(table: Table, concurrency: number): CassandraSink {
  const options = CassandraSinkOptions.parse({ contactPoints: ADDRESS, keyspace: KEYSPACE, table, concurrency });
  return new CassandraSink(resolveConfig(options, { input: schema, location: { path: 'bench' } }));
}

async function setup(): Promise<void> {
  const client = new cassandra.Client({ contactPoints: [ADDRESS], localDataCenter: 'datacenter1' });
  await client.connect();
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS "${KEYSPACE}" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
  for (const table of Object.keys(KEYS) as Table[]) {
    await client.execute(`DROP TABLE IF EXISTS "${KEYSPACE}"."${table}"`);
    await client.execute(
      `CREATE TABLE "${KEYSPACE}"."${table}" (value bigint, timestamp timestamp, host text, reading double, ${KEYS[table]})`,
    );
  }
  await client.shutdown();
}

async function teardown(): Promise<void> {
  const client = new cassandra.Client({ contactPoints: [ADDRESS], localDataCenter: 'datacenter1' });
  await client.connect();
  await client.execute(`DROP KEYSPACE IF EXISTS "${KEYSPACE}"`);
  await client.shutdown();
}

/** Runs one writer once over all rows, with its own connection (open/close not timed). */
type Kind = 'sink' | 'pool' | 'concurrent' | 'partition batches';
const HAND: Record<Exclude<Kind, 'sink'>, (client: cassandra.Client, table: Table, concurrency: number) => Writer> = {
  pool,
  concurrent,
  'partition batches': partitionBatches,
};

async function runOnce(kind: Kind, table: Table, rows: Row[], concurrency: number): Promise<Result> {
  if (kind === 'sink') {
    const s = sink(table, concurrency);
    await s.open({ queryId: 'bench', queryName: 'bench', outputMode: 'append', logger: silentLogger });
    try {
      return await timeBatches(rows, (batch, id) => s.foreachBatch(batch, id));
    } finally {
      await s.close();
    }
  }
  const client = handClient(table);
  await client.connect();
  try {
    return await timeBatches(rows, HAND[kind](client, table, concurrency));
  } finally {
    await client.shutdown();
  }
}

const line = (name: string, results: Result[]) => {
  const rates = results.map((r) => ROWS / r.seconds);
  const latencies = results.flatMap((r) => r.latenciesMs);
  return {
    name,
    rate: median(rates),
    text:
      `${name.padEnd(40)} ${formatRate(median(rates)).padStart(8)} rows/s (runs: ${rates.map((r) => formatRate(r)).join(', ')})  ` +
      `batch of ${MICRO_BATCH}: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`,
  };
};

async function main(): Promise<void> {
  const rows = makeRows(ROWS);
  const tables: Table[] = args.table === 'both' ? ['seq', 'clustered'] : [args.table as Table];
  process.stdout.write(
    `cassandra at ${ADDRESS}: ${ROWS} rows, micro-batches of ${MICRO_BATCH}, ${RUNS} run(s) per writer, node ${process.version}\n`,
  );
  await setup();
  try {
    // Warm-up: JIT on our side, and the server's; not counted.
    await runOnce('sink', 'seq', rows.slice(0, Math.min(ROWS, 100_000)), DEFAULT_CONCURRENCY);
    await runOnce('pool', 'seq', rows.slice(0, Math.min(ROWS, 100_000)), DEFAULT_CONCURRENCY);

    if (args.sweep) {
      for (const table of tables) {
        for (const concurrency of args['sweep-concurrency'].split(',').map(Number)) {
          const results: Record<string, Result[]> = { sink: [], pool: [] };
          for (let run = 0; run < RUNS; run++) {
            for (const kind of ['sink', 'pool'] as const) results[kind].push(await runOnce(kind, table, rows, concurrency));
          }
          for (const kind of ['sink', 'pool'] as const)
            process.stdout.write(`${line(`${table}: ${kind} concurrency=${concurrency}`, results[kind]).text}\n`);
        }
      }
      return;
    }

    const concurrency = Number(args.concurrency);
    for (const table of tables) {
      const kinds: Kind[] = table === 'seq' ? ['sink', 'pool', 'concurrent'] : ['sink', 'pool', 'concurrent', 'partition batches'];
      const results = new Map<Kind, Result[]>(kinds.map((k) => [k, []]));
      for (let run = 0; run < RUNS; run++) {
        for (const kind of kinds) results.get(kind)!.push(await runOnce(kind, table, rows, concurrency));
      }
      process.stdout.write(`\n${table} (${KEYS[table]}), concurrency ${concurrency}:\n`);
      const lines = kinds.map((kind) => line(kind === 'sink' ? 'sink' : `hand-written ${kind}`, results.get(kind)!));
      for (const l of lines) process.stdout.write(`  ${l.text}\n`);
      const best = lines.slice(1).reduce((a, b) => (b.rate > a.rate ? b : a));
      process.stdout.write(`  ratio sink / best hand-written (${best.name}): ${(lines[0].rate / best.rate).toFixed(2)}\n`);
    }
  } finally {
    await teardown();
  }
}

await main();
