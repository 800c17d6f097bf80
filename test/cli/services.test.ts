/**
 * Issue 13, item 4: after `npm run services -- up`, `streamlab run <shipped job> --services` writes to those servers.
 * Each test runs the built CLI in a temporary folder whose own `.services/env` (STREAMLAB_SERVICES_DIR) lists the real
 * servers, and reads every row back. Names are unique to the run: sensor-mysql takes its table from SENSOR_TABLE;
 * rate-triangle-influxdb has a fixed measurement, so a copy of the shipped file with only the measurement renamed
 * runs (the profile is still the shipped config/influxdb.yaml).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import { triangle } from '../../src/core/expr/functions.js';
import { cliPath, repoRoot } from '../support/cli.js';
import { assertEveryReadingOnce, type SensorRow } from '../support/sensor-readings.js';
import { type Service, service } from '../support/services.js';

const mariadb = service('mariadb');
const influxdb = service('influxdb18');
const suffix = randomBytes(4).toString('hex');

/** A working directory with its own `.services/env` listing `servers`; removed after the suite. */
function projectWith(servers: Service[]): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = mkdtempSync(join(tmpdir(), 'streamlab-services-run-'));
  mkdirSync(join(cwd, 'my-services'));
  const lines = servers.map((s) => `STREAMLAB_TEST_${s.name.toUpperCase()}=${s.address}`);
  writeFileSync(join(cwd, 'my-services', 'env'), `# as \`npm run services -- up\` writes it\n${lines.join('\n')}\n`);
  return { cwd, env: { STREAMLAB_SERVICES_DIR: join(cwd, 'my-services') } };
}

/** Runs the CLI to its end; the JSON progress lines of stdout are returned with stderr. */
function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  // The servers come from the project's own env file only (not from the STREAMLAB_ variables of the test run).
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('STREAMLAB_TEST_') && k !== 'STREAMLAB_SERVICES_DIR'),
  );
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
  const progress = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { sink: { numOutputRows: number } });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, rowsOut: progress.reduce((n, p) => n + p.sink.numOutputRows, 0) };
}

describeOrSkip('streamlab run --services: sensor-mysql into the MariaDB of .services/env', { skip: mariadb.skip }, () => {
  const table = `services_sensor_${suffix}`;
  let project: ReturnType<typeof projectWith>;
  let admin: mysql.Connection;
  before(async () => {
    project = projectWith([mariadb]);
    admin = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: 'streamlab' });
  });
  after(async () => {
    await admin.query(`DROP TABLE IF EXISTS ${table}`);
    await admin.query('DELETE FROM streamlab_commits WHERE table_name = ?', [table]).catch(() => {});
    await admin.end();
    rmSync(project.cwd, { recursive: true, force: true });
  });

  it('writes every reading of 3 batches to the listed server, and says which server it used', async () => {
    // MYSQL_PORT of the environment (a .env pointing elsewhere) loses to --services.
    const env = { ...project.env, SENSOR_TABLE: table, TRIGGER_INTERVAL: '1s', MYSQL_PORT: '1', MYSQL_DATABASE: 'nowhere' };
    const args = ['run', 'sensor-mysql', '--services', '--max-batches', '3', '--progress', 'json', '--checkpoint', 'cp'];
    const run = runCli(args, project.cwd, env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`\\[sensor-mysql\\] servers: mariadb ${mariadb.address} \\(--services, from .*my-services/env\\)`));
    const [rows] = await admin.query(`SELECT sensor_id, ts, temperature, humidity FROM ${table}`);
    const ticks = assertEveryReadingOnce(rows as SensorRow[], 3, 1000);
    assert.equal(ticks * 3, run.rowsOut, 'the rows read back are the rows the batches wrote');
    assert.ok(ticks >= 3, `${ticks} ticks`);
  });
});

describeOrSkip('streamlab run --services: rate-triangle-influxdb into the InfluxDB 1.8 of .services/env', { skip: influxdb.skip }, () => {
  const measurement = `services_trwave_${suffix}`;
  let project: ReturnType<typeof projectWith>;
  before(() => {
    project = projectWith([influxdb]);
    const shipped = readFileSync(join(repoRoot, 'jobs/rate-triangle-influxdb.yaml'), 'utf8');
    assert.match(shipped, /measurement: trwave\n/);
    mkdirSync(join(project.cwd, 'jobs'));
    writeFileSync(
      join(project.cwd, 'jobs/rate-triangle-influxdb.yaml'),
      shipped.replace('measurement: trwave', `measurement: ${measurement}`),
    );
  });
  after(async () => {
    await influxQuery(`DROP MEASUREMENT "${measurement}"`).catch(() => {});
    rmSync(project.cwd, { recursive: true, force: true });
  });

  it('writes tr of every rate row to the listed server', async () => {
    const env = { ...project.env, INFLUX_URL: 'http://127.0.0.1:1' };
    const run = runCli(['run', 'rate-triangle-influxdb', '--services', '--max-batches', '3', '--progress', 'json'], project.cwd, env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`servers: influxdb18 ${influxdb.address} \\(--services`));
    const series = (await influxQuery(`SELECT * FROM "${measurement}"`)).results[0].series?.[0];
    assert.ok(series, `no points in ${measurement}`);
    assert.deepEqual(series.columns, ['time', 'tr']);
    const times = series.values.map((v) => v[0] as number);
    assert.deepEqual(
      series.values.map((v) => v[1]),
      times.map((_, value) => triangle(value, 0, 30, 10)),
    );
    assert.equal(series.values.length, run.rowsOut);
    assert.ok(run.rowsOut >= 2, `${run.rowsOut} rows`);
    // The rate source: one row per second from its start (the sink keeps points of one timestamp apart by microseconds).
    assert.deepEqual(
      times.map((t) => t - times[0]),
      times.map((_, i) => i * 1000),
    );
  });
});

describe('streamlab run/explain without --services: the environment and .env, and a hint', () => {
  const project = projectWith([{ name: 'influxdb18', address: '127.0.0.1:8187' } as Service]);
  after(() => rmSync(project.cwd, { recursive: true, force: true }));

  it('explain keeps INFLUX_URL of .env and names the server --services would use; --services changes the plan', () => {
    writeFileSync(join(project.cwd, '.env'), 'INFLUX_URL=http://127.0.0.1:18086\n');
    const plain = runCli(['explain', 'telemetry-influxdb'], project.cwd, project.env);
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /url="http:\/\/127\.0\.0\.1:18086"/);
    assert.match(
      plain.stderr,
      /servers: profile influxdb from the environment and \.env; --services would use influxdb18 127\.0\.0\.1:8187/,
    );
    const services = runCli(['explain', 'telemetry-influxdb', '--services'], project.cwd, project.env);
    assert.equal(services.status, 0, services.stderr);
    assert.match(services.stdout, /url="http:\/\/127\.0\.0\.1:8187"/);
    assert.match(services.stdout, /bucket="streamlab"/);
    assert.match(services.stderr, /servers: influxdb18 127\.0\.0\.1:8187 \(--services, from .*my-services\/env\)/);
  });

  it('--services with no env file: exit 2 naming the file and the command that writes it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'streamlab-services-none-'));
    const run = runCli(['run', 'telemetry-influxdb', '--services'], empty, {});
    rmSync(empty, { recursive: true, force: true });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--services: no .*env in .*: start the servers with `npm run services -- up`/);
  });
});

async function influxQuery(q: string): Promise<{ results: { series?: { columns: string[]; values: unknown[][] }[] }[] }> {
  const url = `http://${influxdb.address}/query?db=streamlab&epoch=ms&q=${encodeURIComponent(q)}`;
  const response = await fetch(url, { method: 'POST' });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { results: { series?: { columns: string[]; values: unknown[][] }[] }[] };
}
