/**
 * Connection checks fail fast (issue 13, item 5), through the real CLI against a port where nothing listens:
 * `validate --connect` reports the refused connection at once (no retry warnings) with the address and how to start
 * a server; `run` retries, and each retry warning says what failed, where, and how long it will keep trying.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliPath } from '../support/cli.js';

const temp = mkdtempSync(join(tmpdir(), 'streamlab-connect-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** A port of 127.0.0.1 that was free a moment ago: bound, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function streamlab(args: string[]) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: temp, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const retryWarnings = (stderr: string) => stderr.split('\n').filter((line) => /^warning: .*retry \d+\//.test(line));

describe('connection checks against a closed port', () => {
  let port = 0;
  const job = (name: string, sink: string) => {
    const file = join(temp, `${name}.yaml`);
    writeFileSync(file, `name: ${name}\nsource: { type: rate, rowsPerSecond: 10 }\nsink: ${sink}\n`);
    return file;
  };
  before(async () => {
    port = await closedPort();
  });

  it('validate --connect reports the refused connection at once, naming the address and how to start a server', () => {
    const influx = job(
      'influx-closed',
      `{ type: influxdb, api: v1, url: "http://127.0.0.1:${port}", bucket: db, measurement: m, fields: [value] }`,
    );
    const mysql = job('mysql-closed', `{ type: mysql, host: 127.0.0.1, port: ${port}, user: root, database: db, table: t }`);
    const { code, stdout, stderr } = streamlab(['validate', '--connect', influx, mysql]);
    assert.equal(code, 2, stdout + stderr);
    assert.deepEqual(retryWarnings(stderr), [], 'a check does not retry');
    const reports = stdout.split(/^(?=invalid )/m).filter((part) => part.startsWith('invalid'));
    assert.equal(reports.length, 2, stdout);
    assert.match(
      reports[0],
      new RegExp(`^invalid ${influx}\\n\\s+cannot reach InfluxDB at http://127\\.0\\.0\\.1:${port}: connection refused`),
    );
    assert.match(reports[1], new RegExp(`^invalid ${mysql}\\n\\s+mysql sink: cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    for (const report of reports) {
      assert.match(report, /no server answers there \(ECONNREFUSED\): start it \(the local servers: `npm run services -- up`/);
    }
  });

  it('run retries, each warning saying what failed, where, and how long it keeps trying', () => {
    const influx = job(
      'influx-run-closed',
      `{ type: influxdb, api: v1, url: "http://127.0.0.1:${port}", bucket: db, measurement: m, fields: [value], maxRetries: 3, backoff: { initial: 10ms, max: 40ms } }`,
    );
    const { code, stderr } = streamlab(['run', influx, '--max-batches', '1', '--checkpoint', join(temp, 'cp')]);
    assert.equal(code, 1, stderr);
    const at = `\\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\) at http://127\\.0\\.0\\.1:${port}`;
    const warnings = retryWarnings(stderr);
    assert.equal(warnings.length, 3, stderr);
    warnings.forEach((warning, i) => {
      const end = i < 2 ? '\\(gives up after ~1 s more\\)' : '\\(the last one\\)';
      assert.match(warning, new RegExp(`^warning: influxdb: the connection check failed ${at}; retry ${i + 1}/3 in \\d+ ms ${end}$`));
    });
    assert.match(stderr, new RegExp(`error: cannot reach InfluxDB at http://127\\.0\\.0\\.1:${port}: connection refused`));
  });
});
