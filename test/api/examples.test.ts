/**
 * examples/*.ts, as written: compiled by the project's tsc (tsconfig includes examples/, importing `streamlab` by
 * name through the package's `exports`) and run with node in a folder of their own, with the checkout's data/ linked
 * in; what each prints or writes is checked against an independent reference. An example without a check here fails.
 * The ones that need a server skip without it (and fail under CI=true).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import mysql from 'mysql2/promise';
import { buildJob } from '../../src/config/build-job.js';
import { loadJobValue } from '../../src/config/load-job.js';
import { assertBatches, triangle } from './rate-even-output.js';
import { StreamingQuery } from '../../src/core/query.js';
import { BOUNDED_START } from '../../src/sources/sensor.js';
import { parse } from 'yaml';
import { z } from 'zod';
import { repoRoot } from '../support/cli.js';
import { createDatabase, dropDatabase, readInfluxQL } from '../sinks/influxdb-fixtures/read-back.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { assertEveryReadingOnce, type SensorRow } from '../support/sensor-readings.js';
import { service } from '../support/services.js';

const examples = readdirSync(join(repoRoot, 'examples'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''));
const checked = [
  'rate-even-triangle',
  'rate-even-columns',
  'rate-even-parquet',
  'windowed-wordcount',
  'socket-wordcount',
  'sensor-mysql',
  'telemetry-influxdb',
];
const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Runs dist/examples/<name>.js in a new folder holding a link to data/; its exit code, output and folder. */
function runExample(name: string, env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), `streamlab-example-${name}-`));
  folders.push(cwd);
  symlinkSync(join(repoRoot, 'data'), join(cwd, 'data'), 'dir');
  return new Promise<{ code: number | null; stdout: string; stderr: string; cwd: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist/examples', `${name}.js`)], {
      cwd,
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, cwd }));
  });
}

describe('examples/*.ts run as written', { concurrency: true }, () => {
  it('every example has a check here', () => {
    assert.deepEqual(examples.sort(), [...checked].sort());
  });

  it("rate-even-triangle (the README's job): batches 0..2, the even values from 0 with their wave", async () => {
    const ran = await runExample('rate-even-triangle');
    assert.equal(ran.code, 0, ran.stderr);
    assertBatches(ran.stdout, 0, 0);
  });

  it('rate-even-columns: the same batches as rate-even-triangle, read from the columnar batch', async () => {
    const ran = await runExample('rate-even-columns');
    assert.equal(ran.code, 0, ran.stderr);
    assertBatches(ran.stdout, 0, 0);
  });

  it('rate-even-parquet: three Parquet files holding the even values from 0, none missing or repeated, with their wave', async () => {
    const ran = await runExample('rate-even-parquet');
    assert.equal(ran.code, 0, ran.stderr);
    const dir = join(ran.cwd, 'output/rate-even-parquet');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.parquet'))
      .sort();
    assert.equal(files.length, 3, files.join(', '));
    const rows: Record<string, unknown>[] = [];
    for (const file of files) rows.push(...(await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, file)) })));
    assert.ok(rows.length > 0);
    const values = rows.map((r) => Number(r.value));
    assert.deepEqual(
      values,
      values.map((_, i) => 2 * i),
    );
    for (const row of rows) {
      assert.ok(Math.abs(Number(row.tr) - triangle(Number(row.value))) < 1e-9, `tr of ${row.value}: ${row.tr}`);
      assert.ok(row.timestamp instanceof Date, `timestamp of ${row.value}`);
    }
  });

  it('windowed-wordcount: prints what jobs/late-data.yaml computes, batch by batch', async () => {
    const ran = await runExample('windowed-wordcount');
    assert.equal(ran.code, 0, ran.stderr);
    // The shipped YAML job, its sink replaced by foreachBatch into a list, built and run by the job-file path.
    const job = parse(readFileSync(join(repoRoot, 'jobs/late-data.yaml'), 'utf8')) as Record<string, unknown>;
    const lines: string[] = [];
    const time = (d: unknown) => (d as Date).toISOString().slice(11, 16);
    const sink = {
      kind: 'sink' as const,
      type: 'lines',
      summary: 'collects lines',
      options: z.strictObject({}),
      examples: [],
      create: () => ({
        description: 'lines',
        open: async () => {},
        close: async () => {},
        foreachBatch: async (rows: Record<string, unknown>[], batchId: number) => {
          for (const r of rows) {
            const w = r.window as { start: Date; end: Date };
            lines.push(`batch ${batchId}: ${time(w.start)}-${time(w.end)} ${r.word} ${r.count}`);
          }
        },
      }),
    };
    const value = { ...job, source: { ...(job.source as object), path: join(repoRoot, 'data/late-data') }, sink: { type: 'lines' } };
    const checkpoint = join(ran.cwd, 'yaml-checkpoint');
    const built = buildJob(loadJobValue({ ...value, checkpointLocation: checkpoint }, 'late-data.yaml', { code: { sinks: [sink] } }));
    await new StreamingQuery(built.query).run();
    assert.ok(lines.length > 10, lines.join('\n'));
    assert.deepEqual(ran.stdout.trimEnd().split('\n'), lines);
  });

  it('socket-wordcount: the count of every word it served, once', async () => {
    const ran = await runExample('socket-wordcount');
    assert.equal(ran.code, 0, ran.stderr);
    const counts = new Map<string, number>();
    for (const word of 'the quick brown fox jumps over the lazy dog the end'.split(' ')) counts.set(word, (counts.get(word) ?? 0) + 1);
    const expected = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([w, n]) => `${w} ${n}`);
    assert.deepEqual(ran.stdout.trimEnd().split('\n'), expected);
  });
});

const mariadb = service('mariadb');
describeOrSkip('examples/sensor-mysql.ts against MariaDB', { skip: mariadb.skip, timeout: 180_000 }, () => {
  const table = `ts_api_example_sensor_${process.pid}`;
  let admin: mysql.Connection;
  after(async () => {
    await admin?.query(`DROP TABLE IF EXISTS ${table}`);
    await admin?.end();
  });

  it('writes every reading of the bounded sensor source once, each equal to what the source computes', async () => {
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: 'streamlab', timezone: 'Z' });
    const ran = await runExample('sensor-mysql', { MYSQL_HOST: mariadb.host, MYSQL_PORT: String(mariadb.port), SENSOR_TABLE: table });
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, new RegExp(`batches 0\\.\\.2 written to ${table}`));
    const [rows] = await admin.query(`SELECT sensor_id, ts, temperature, humidity FROM ${table}`);
    const readings = rows as SensorRow[];
    assert.equal(readings.length, 30);
    assert.equal(Math.min(...readings.map((r) => r.ts.getTime())), Date.parse(BOUNDED_START));
    assert.equal(assertEveryReadingOnce(readings, 3, 1000), 10);
  });
});

const influxdb = service('influxdb18');
describeOrSkip('examples/telemetry-influxdb.ts against InfluxDB 1.8 (2.x API)', { skip: influxdb.skip, timeout: 180_000 }, () => {
  const db = `ts_api_example_${process.pid}`;
  const url = () => `http://${influxdb.address}`;
  after(async () => {
    if (!influxdb.skip) await dropDatabase(url(), db).catch(() => undefined);
  });

  it('writes each sample it reports as one point, tagged by this host, with the three fields in range', async () => {
    await createDatabase(url(), db);
    const ran = await runExample('telemetry-influxdb', { INFLUX_URL: url(), INFLUX_BUCKET: `${db}/autogen`, MEASUREMENT: 'sys' });
    assert.equal(ran.code, 0, ran.stderr);
    const reported = Number(/^(\d+) samples written to sys$/m.exec(ran.stdout)?.[1]);
    assert.ok(reported >= 1, ran.stdout);
    // The samples are this machine's own readings, known only to the example: every one is checked for shape and range.
    const points = await readInfluxQL(url(), db, 'sys');
    assert.equal(points.length, reported);
    for (const point of points) {
      assert.deepEqual(Object.keys(point.tags).sort(), ['hostname', 'os']);
      assert.equal(point.tags.hostname, hostname());
      assert.deepEqual(Object.keys(point.fields).sort(), ['cpu_percent', 'mem_percent', 'mem_used_mb']);
      for (const percent of [point.fields.cpu_percent, point.fields.mem_percent]) assert.ok(Number(percent) >= 0 && Number(percent) <= 100);
      assert.ok(Number(point.fields.mem_used_mb) > 0);
    }
    assert.equal(new Set(points.map((p) => p.time)).size, points.length, 'one point per sample time');
  });
});
