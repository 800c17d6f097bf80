/**
 * `npm run bench -- starrocks`: the starrocks sink (Stream Load) against a bare HTTP PUT of the same JSON, both against
 * the Stream Load peer (test/support/starrocks-peer, run as a child process so its work does not share this event
 * loop; it stores the rows in the MariaDB of `npm run services -- up mariadb`).
 *
 * Rows: BATCHES batches (default 20) of BATCH rows (default 10,000) of the sensor source's columns.
 * - sink:     StreamLoadSink.foreachBatch: rows -> JSON body, label, PUT with Expect: 100-continue to the FE, 307,
 *             PUT to the BE, result parsed and checked.
 * - baseline: the same requests by hand: the body serialized beforehand with JSON.stringify (not timed), the same
 *             headers, the same redirect, the answer read and nothing checked.
 * Each side runs RUNS times (default 5), alternating; the report gives median time per batch, the difference (the
 * sink's client-side overhead per batch), and separately the time to encode one batch. The server side (the peer's
 * parsing and MariaDB's inserts) is the same for both and dominates; StarRocks' own server time is not measured here.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { silentLogger } from '../src/core/logger.js';
import { DEFAULT_RETRY } from '../src/core/retry.js';
import type { Row } from '../src/core/row.js';
import type { ColumnBinding } from '../src/connectors/mysql/columns.js';
import { encodeBodies, datetimeText } from '../src/sinks/starrocks/body.js';
import { StreamLoadSink } from '../src/sinks/starrocks/index.js';
import { SENSOR_SCHEMA, reading } from '../src/sources/sensor.js';
import { put } from '../src/benchmark/targets/starrocks-stream-load.js';
import { service } from '../test/support/services.js';
import { median } from './stats.js';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 20);
const BATCH = Number(process.env.BENCH_BATCH ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DATABASE = 'streamlab';
const TABLE = 'bench_starrocks';

const columns: ColumnBinding[] = [
  { table: 'sensor_id', source: 'sensor_id', type: 'long' },
  { table: 'ts', source: 'timestamp', type: 'timestamp' },
  { table: 'temperature', source: 'temperature', type: 'double' },
  { table: 'humidity', source: 'humidity', type: 'double' },
];

function makeBatches(): Row[][] {
  const batches: Row[][] = [];
  const start = Date.UTC(2026, 0, 1);
  let tick = 0;
  for (let b = 0; b < BATCHES; b++) {
    const rows: Row[] = [];
    while (rows.length < BATCH) {
      const timestamp = new Date(start + tick * 1000);
      for (let s = 0; s < 10 && rows.length < BATCH; s++) rows.push({ sensor_id: s + 1, timestamp, ...reading(tick, s) });
      tick++;
    }
    batches.push(rows);
  }
  if (SENSOR_SCHEMA.length !== columns.length) throw new Error('columns out of date');
  return batches;
}

/** The baseline's body: the rows as a hand-written client would send them, built before the clock starts. */
const bareBody = (rows: Row[]) =>
  Buffer.from(
    JSON.stringify(
      rows.map((r) => ({
        sensor_id: r.sensor_id,
        ts: datetimeText(r.timestamp as Date, 'ts'),
        temperature: r.temperature,
        humidity: r.humidity,
      })),
    ),
  );

async function bareLoad(feUrl: string, body: Buffer, agent: http.Agent): Promise<void> {
  const headers = {
    Authorization: `Basic ${Buffer.from('root:').toString('base64')}`,
    label: `bare-${randomUUID()}`,
    format: 'json',
    strip_outer_array: 'true',
    columns: 'sensor_id,ts,temperature,humidity',
  };
  const first = await put(`${feUrl}/api/${DATABASE}/${TABLE}/_stream_load`, headers, body, agent);
  const answer = first.status === 307 ? await put(first.location!, headers, body, agent) : first;
  if (!answer.text.includes('"Success"')) throw new Error(`bare load failed: ${answer.text}`);
}

async function startPeer(): Promise<{ feHost: string; fePort: number; stop: () => void }> {
  const main = join(dirname(fileURLToPath(import.meta.url)), '../test/support/starrocks-peer/main.js');
  const child = spawn(process.execPath, [main, '--serve', '--fe-port', '0', '--be-port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c;
      if (out.includes('\n')) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`peer exited with ${code}`)));
  });
  const match = /FE http:\/\/([\d.]+):(\d+)/.exec(line)!;
  return { feHost: match[1], fePort: Number(match[2]), stop: () => child.kill('SIGTERM') };
}

const mariadb = service('mariadb');
if (mariadb.skip) {
  process.stderr.write(`${mariadb.skip}\n`);
  process.exit(2);
}
const admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: DATABASE });
await admin.query(`DROP TABLE IF EXISTS ${TABLE}`);
await admin.query(`CREATE TABLE ${TABLE} (sensor_id BIGINT NOT NULL, ts DATETIME(3) NOT NULL, temperature DOUBLE, humidity DOUBLE)`);
const peer = await startPeer();
const feUrl = `http://${peer.feHost}:${peer.fePort}`;
const batches = makeBatches();
const bodies = batches.map(bareBody);
process.stdout.write(
  `starrocks sink (Stream Load) vs a bare HTTP PUT, against the peer at ${feUrl} (rows into MariaDB ${mariadb.address}): ${BATCHES} batches of ${BATCH.toLocaleString('en')} rows, ${RUNS} runs each (alternating)\n`,
);

const sinkMs: number[] = [];
const bareMs: number[] = [];
for (let run = 1; run <= RUNS; run++) {
  await admin.query(`TRUNCATE TABLE ${TABLE}`);
  const sink = new StreamLoadSink({
    feHost: peer.feHost,
    httpPort: peer.fePort,
    mysqlPort: 9030,
    user: 'root',
    password: '',
    database: DATABASE,
    table: TABLE,
    columns,
    format: 'json',
    maxFilterRatio: 0,
    timeout: 600,
    properties: {},
    maxBytesPerLoad: 64 * 1024 * 1024,
    retry: DEFAULT_RETRY,
  });
  await sink.open({ queryId: randomUUID(), queryName: 'bench', outputMode: 'append', logger: silentLogger });
  let start = performance.now();
  for (let b = 0; b < batches.length; b++) await sink.foreachBatch(batches[b], b);
  sinkMs.push((performance.now() - start) / BATCHES);
  await sink.close();

  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  start = performance.now();
  for (const body of bodies) await bareLoad(feUrl, body, agent);
  bareMs.push((performance.now() - start) / BATCHES);
  agent.destroy();

  const [[{ n }]] = (await admin.query(`SELECT COUNT(*) AS n FROM ${TABLE}`)) as unknown as [[{ n: number }]];
  if (Number(n) !== 2 * BATCHES * BATCH) throw new Error(`expected ${2 * BATCHES * BATCH} rows, found ${n}`);
  process.stdout.write(`  run ${run}: sink ${sinkMs.at(-1)!.toFixed(1)} ms/batch, bare PUT ${bareMs.at(-1)!.toFixed(1)} ms/batch\n`);
}
const encodeMs: number[] = [];
for (let i = 0; i < 10; i++) {
  const start = performance.now();
  for (const rows of batches) encodeBodies(rows, columns, 'json', 64 * 1024 * 1024);
  encodeMs.push((performance.now() - start) / BATCHES);
}
const sink = median(sinkMs);
const bare = median(bareMs);
process.stdout.write(
  `median per batch of ${BATCH.toLocaleString('en')} rows: sink ${sink.toFixed(1)} ms, bare PUT ${bare.toFixed(1)} ms; ` +
    `client-side overhead ${(sink - bare).toFixed(1)} ms per batch (${(((sink - bare) / bare) * 100).toFixed(0)}%), of which encoding rows to JSON ${median(encodeMs).toFixed(1)} ms; ` +
    `sink ${(((BATCH / sink) * 1000) / 1000).toFixed(0)}k rows/s, bare ${(((BATCH / bare) * 1000) / 1000).toFixed(0)}k rows/s\n`,
);
peer.stop();
await admin.query(`DROP TABLE IF EXISTS ${TABLE}`);
await admin.end();
