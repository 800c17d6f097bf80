/**
 * `npm run bench -- postgres`: the postgres sink against a bare COPY of the same rows on the same PostgreSQL (the one
 * `npm run services -- up postgres` starts, or STREAMLAB_TEST_POSTGRES=host:port), in the same run; and the other ways
 * of writing the rows (bench/postgres/writers.ts) that the sink's COPY text format was chosen against.
 *
 * Rows: ROWS rows (default 1,000,000) of { id: long, ts: timestamp, sensor: string, reading: double }, in batches of
 * BATCH rows (default 100,000), as the engine would hand them over.
 * - sink:      PostgresSink.foreachBatch per batch: one transaction with the commit-table row and a COPY.
 * - baseline:  per batch, the same rows as COPY text through pg-copy-streams, autocommit (one transaction per batch).
 * - others:    COPY binary, multi-row INSERT, INSERT from unnest (BENCH_ALTERNATIVES=0 leaves them out, or names the
 *              ones to run: BENCH_ALTERNATIVES='COPY binary').
 * Every table has the same DDL (primary key on id) and is truncated before each run. Each writer runs RUNS times,
 * alternating; the report gives the medians in rows/s and their ratio to the bare COPY. Every run checks the row
 * count and the sum of id it left.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { openSession } from '../src/connectors/postgres/session.js';
import { silentLogger } from '../src/core/logger.js';
import { DEFAULT_RETRY } from '../src/core/retry.js';
import type { Row } from '../src/core/row.js';
import type { Schema } from '../src/core/schema.js';
import { PostgresSink } from '../src/sinks/postgres/index.js';
import { createTableSql } from '../src/sinks/postgres/ddl.js';
import { service } from '../test/support/services.js';
import { ALTERNATIVES, copyText, type Writer } from './postgres/writers.js';
import { formatRate, median } from './stats.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** `0`: none of the other writers; a comma-separated list of names (e.g. `COPY binary`): only those. */
const ALTERNATIVE_NAMES = process.env.BENCH_ALTERNATIVES === '0' ? [] : process.env.BENCH_ALTERNATIVES?.split(',').map((n) => n.trim());
const TABLE = 'bench_postgres';

const schema: Schema = [
  { name: 'id', type: 'long' },
  { name: 'ts', type: 'timestamp' },
  { name: 'sensor', type: 'string' },
  { name: 'reading', type: 'double' },
];

function makeBatches(): Row[][] {
  const batches: Row[][] = [];
  const start = Date.UTC(2026, 0, 1);
  for (let from = 0; from < ROWS; from += BATCH) {
    const rows: Row[] = [];
    for (let id = from; id < Math.min(ROWS, from + BATCH); id++) {
      rows.push({ id, ts: new Date(start + id * 10), sensor: `sensor-${id % 16}`, reading: Math.round(Math.sin(id / 100) * 1e6) / 1e3 });
    }
    batches.push(rows);
  }
  return batches;
}

const postgres = service('postgres');
if (postgres.skip) {
  process.stderr.write(`${postgres.skip}\n`);
  process.exit(2);
}
const connection = {
  host: postgres.host,
  port: postgres.port,
  user: 'postgres',
  password: '',
  database: 'streamlab',
  connectTimeout: 10_000,
};

async function runSink(batches: Row[][]): Promise<number> {
  const sink = new PostgresSink({
    connection,
    table: { schema: 'public', name: TABLE },
    columns: schema,
    batchSize: 100_000,
    commitTable: 'streamlab_commits',
    retry: DEFAULT_RETRY,
  });
  await sink.open({ queryId: `bench-${randomUUID()}`, queryName: 'bench', outputMode: 'append', logger: silentLogger });
  const start = performance.now();
  for (let b = 0; b < batches.length; b++) await sink.foreachBatch(batches[b], b);
  const seconds = (performance.now() - start) / 1000;
  await sink.close();
  return ROWS / seconds;
}

async function runWriter(write: Writer, batches: Row[][]): Promise<number> {
  const client = await openSession(connection, () => undefined);
  const start = performance.now();
  for (const rows of batches) await write(client, TABLE, rows);
  const seconds = (performance.now() - start) / 1000;
  await client.end();
  return ROWS / seconds;
}

async function check(admin: pg.Client, writer: string): Promise<void> {
  const { rows } = await admin.query(`SELECT count(*)::bigint AS n, sum(id)::bigint AS s FROM ${TABLE}`);
  const sum = ((ROWS - 1) * ROWS) / 2;
  if (rows[0].n !== ROWS || Number(rows[0].s) !== sum)
    throw new Error(`${writer} left ${rows[0].n} rows (sum of id ${rows[0].s}), not ${ROWS} (${sum})`);
}

const admin = await openSession(connection, () => undefined);
const version = (await admin.query('SHOW server_version')).rows[0].server_version as string;
await admin.query(`DROP TABLE IF EXISTS ${TABLE}`);
await admin.query(createTableSql({ schema: 'public', name: TABLE }, schema, ['id']));
const batches = makeBatches();
const writers: Array<{ name: string; run: () => Promise<number> }> = [
  { name: 'sink', run: () => runSink(batches) },
  { name: 'COPY text (bare)', run: () => runWriter(copyText, batches) },
  ...ALTERNATIVES.filter((a) => !ALTERNATIVE_NAMES || ALTERNATIVE_NAMES.includes(a.name)).map((a) => ({
    name: a.name,
    run: () => runWriter(a.write, batches),
  })),
];
process.stdout.write(
  `postgres sink vs a bare COPY, PostgreSQL ${version} at ${postgres.address}: ${ROWS.toLocaleString('en')} rows in batches of ${BATCH.toLocaleString('en')}, ` +
    `${RUNS} runs each (alternating)\n`,
);
const rates = new Map<string, number[]>(writers.map((w) => [w.name, []]));
for (let run = 1; run <= RUNS; run++) {
  const line: string[] = [];
  for (const writer of writers) {
    await admin.query(`TRUNCATE TABLE ${TABLE}`);
    const rate = await writer.run();
    await check(admin, writer.name);
    rates.get(writer.name)!.push(rate);
    line.push(`${writer.name} ${formatRate(rate)}`);
  }
  process.stdout.write(`  run ${run}: ${line.join(', ')} rows/s\n`);
}
const bare = median(rates.get('COPY text (bare)')!);
process.stdout.write('median rows/s (ratio to the bare COPY):\n');
for (const writer of writers) {
  const m = median(rates.get(writer.name)!);
  process.stdout.write(`  ${writer.name.padEnd(18)} ${formatRate(m).padStart(7)}  ${((m / bare) * 100).toFixed(0)}%\n`);
}
await admin.query(`DROP TABLE IF EXISTS ${TABLE}`);
await admin.query("DELETE FROM streamlab_commits WHERE query_id LIKE 'bench-%' AND table_name = $1", [`public.${TABLE}`]);
await admin.end();
