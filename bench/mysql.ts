/**
 * `npm run bench -- mysql`: the mysql sink against the server's fastest load path, LOAD DATA LOCAL INFILE, on the same
 * MariaDB (the one `npm run services -- up mariadb` starts, or STREAMLAB_TEST_MARIADB=host:port) with the same rows.
 *
 * Rows: ROWS rows (default 1,000,000) of { id: long, ts: timestamp, sensor: string, reading: double }, in batches of
 * BATCH rows (default 100,000), as the engine would hand them over.
 * - sink:      MySqlSink.foreachBatch per batch: one transaction with the commit-table row and multi-row INSERTs of
 *              batchSize rows (default option value; BENCH_STATEMENT_ROWS to change it).
 * - baseline:  per batch, the same rows serialized to tab-separated text and streamed through mysql2's
 *              infileStreamFactory into LOAD DATA LOCAL INFILE (autocommit: one transaction per batch too).
 * Both tables have the same DDL (primary key on id) and are truncated before each run. Each side runs RUNS times,
 * alternating; the report gives the medians in rows/s and their ratio. Every run checks the row count it left.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import mysql from 'mysql2/promise';
import { DEFAULT_RETRY } from '../src/core/retry.js';
import type { Row } from '../src/core/row.js';
import type { Schema } from '../src/core/schema.js';
import { silentLogger } from '../src/core/logger.js';
import { MySqlSink } from '../src/sinks/mysql/index.js';
import { createTableSql } from '../src/sinks/mysql/ddl.js';
import type { ColumnBinding } from '../src/connectors/mysql/columns.js';
import { service } from '../test/support/services.js';
import { formatRate, median } from './stats.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STATEMENT_ROWS = Number(process.env.BENCH_STATEMENT_ROWS ?? 2000);
const DATABASE = 'streamlab';
const SINK_TABLE = 'bench_mysql_sink';
const LOAD_TABLE = 'bench_mysql_load_data';

const schema: Schema = [
  { name: 'id', type: 'long' },
  { name: 'ts', type: 'timestamp' },
  { name: 'sensor', type: 'string' },
  { name: 'reading', type: 'double' },
];
const columns: ColumnBinding[] = schema.map((c) => ({ table: c.name, source: c.name, type: c.type }));

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

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** DATETIME(3) text in UTC, as the sink's driver writes it. */
const sqlDate = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;

/** LOAD DATA's default format: tab-separated, newline-terminated, backslash escapes (the values here need none). */
function* tsvChunks(rows: Row[]): Generator<Buffer> {
  let chunk = '';
  for (const r of rows) {
    chunk += `${r.id}\t${sqlDate(r.ts as Date)}\t${r.sensor}\t${r.reading}\n`;
    if (chunk.length > 1 << 16) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  if (chunk) yield Buffer.from(chunk);
}

async function count(admin: mysql.Connection, table: string): Promise<number> {
  const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number((rows as Array<{ n: number }>)[0].n);
}

async function runSink(address: { host: string; port: number }, batches: Row[][]): Promise<number> {
  const sink = new MySqlSink({
    host: address.host,
    port: address.port,
    user: 'root',
    password: '',
    database: DATABASE,
    table: SINK_TABLE,
    columns,
    mode: 'append',
    batchSize: STATEMENT_ROWS,
    commitTable: 'streamlab_commits',
    connectTimeout: 10_000,
    retry: DEFAULT_RETRY,
  });
  await sink.open({ queryId: `bench-${randomUUID()}`, queryName: 'bench', outputMode: 'append', logger: silentLogger });
  const start = performance.now();
  for (let b = 0; b < batches.length; b++) await sink.foreachBatch(batches[b], b);
  const seconds = (performance.now() - start) / 1000;
  await sink.close();
  return ROWS / seconds;
}

async function runLoadData(address: { host: string; port: number }, batches: Row[][]): Promise<number> {
  const connection = await mysql.createConnection({
    host: address.host,
    port: address.port,
    user: 'root',
    database: DATABASE,
    timezone: 'Z',
  });
  const start = performance.now();
  for (const rows of batches) {
    await connection.query({
      sql: `LOAD DATA LOCAL INFILE 'batch.tsv' INTO TABLE ${LOAD_TABLE} (id, ts, sensor, reading)`,
      infileStreamFactory: () => Readable.from(tsvChunks(rows)),
    });
  }
  const seconds = (performance.now() - start) / 1000;
  await connection.end();
  return ROWS / seconds;
}

const mariadb = service('mariadb');
if (mariadb.skip) {
  process.stderr.write(`${mariadb.skip}\n`);
  process.exit(2);
}
const address = { host: mariadb.host, port: mariadb.port };
const admin = await mysql.createConnection({ host: address.host, port: address.port, user: 'root', database: DATABASE });
for (const table of [SINK_TABLE, LOAD_TABLE]) {
  await admin.query(`DROP TABLE IF EXISTS ${table}`);
  await admin.query(createTableSql(DATABASE, table, columns, ['id']));
}
const batches = makeBatches();
process.stdout.write(
  `mysql sink vs LOAD DATA LOCAL INFILE, MariaDB at ${mariadb.address}: ${ROWS.toLocaleString('en')} rows in batches of ${BATCH.toLocaleString('en')}, ` +
    `${STATEMENT_ROWS} rows per INSERT, ${RUNS} runs each (alternating)\n`,
);
const sinkRates: number[] = [];
const loadRates: number[] = [];
for (let run = 1; run <= RUNS; run++) {
  await admin.query(`TRUNCATE TABLE ${SINK_TABLE}`);
  sinkRates.push(await runSink(address, batches));
  if ((await count(admin, SINK_TABLE)) !== ROWS) throw new Error('the sink left the wrong number of rows');
  await admin.query(`TRUNCATE TABLE ${LOAD_TABLE}`);
  loadRates.push(await runLoadData(address, batches));
  if ((await count(admin, LOAD_TABLE)) !== ROWS) throw new Error('LOAD DATA left the wrong number of rows');
  process.stdout.write(`  run ${run}: sink ${formatRate(sinkRates.at(-1)!)} rows/s, LOAD DATA ${formatRate(loadRates.at(-1)!)} rows/s\n`);
}
const sink = median(sinkRates);
const load = median(loadRates);
process.stdout.write(
  `median: sink ${formatRate(sink)} rows/s, LOAD DATA LOCAL INFILE ${formatRate(load)} rows/s, ratio ${((sink / load) * 100).toFixed(0)}%\n`,
);
for (const table of [SINK_TABLE, LOAD_TABLE]) await admin.query(`DROP TABLE IF EXISTS ${table}`);
await admin.query("DELETE FROM streamlab_commits WHERE query_id LIKE 'bench-%'");
await admin.end();
