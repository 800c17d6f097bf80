/**
 * `streamlab bench` end to end, as a user runs it: the built CLI, a tiny bench of every sink that has a bench target
 * against the real servers of `npm run services -- up`, every run (sink and baseline) read back and verified,
 * results.json valid against its schema, report.html and the SVG charts written.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { resultsSchema } from '../../src/benchmark/results.js';
import { cliPath, repoRoot } from '../support/cli.js';
import { service, type ServiceName } from '../support/services.js';

const NEEDED: ServiceName[] = ['influxdb18', 'mariadb', 'cassandra', 'starrocks-peer'];
const skip = NEEDED.map((name) => service(name).skip).find((reason) => reason) ?? false;
const SINKS = ['influxdb', 'cassandra', 'mysql', 'starrocks', 'parquet', 'file'];

/** The bench's parquet and file targets keep their root folder in os.tmpdir(): `tmp` is one the test removes. */
function runCli(args: string[], tmp: string): Promise<{ code: number | null; output: string }> {
  const env = { ...process.env, FORCE_COLOR: '0', TMPDIR: tmp };
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describeOrSkip('streamlab bench against every server', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-bench-e2e-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes, reads back and verifies every sink and baseline, and writes results.json, report.html and charts', async () => {
    const report = join(dir, 'report');
    const { code, output } = await runCli(
      ['bench', '--sinks', SINKS.join(','), '--rows', '3000', '--batch-sizes', '1000', '--scale', '50', '--services', '--report', report],
      dir,
    );
    assert.equal(code, 0, output);

    const results = resultsSchema.parse(JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')));
    assert.equal(results.partial, false);
    assert.deepEqual([...new Set(results.runs.map((run) => run.sink))].sort(), [...SINKS].sort());
    for (const sink of SINKS) {
      const writers = results.runs.filter((run) => run.sink === sink).map((run) => run.writer);
      assert.deepEqual(writers.sort(), ['baseline', 'sink'], `${sink}: a sink run and a baseline run`);
    }
    for (const run of results.runs) {
      const what = `${run.target} ${run.writer}`;
      assert.equal(run.error, undefined, what);
      // 3000 measured rows plus the 1000-row warm-up batch, every one read back from the server.
      assert.deepEqual(
        [run.verification.ok, run.verification.rows, run.verification.expectedRows],
        [true, 4000, 4000],
        `${what}: ${run.verification.message}`,
      );
      assert.equal(run.verification.checksum, run.verification.expectedChecksum, what);
      assert.equal(run.rows, 3000, what);
      assert.equal(run.batchLatencyMs.length, 3, `${what}: one latency per measured batch`);
      assert.ok(run.rowsPerSecond > 0 && run.bytes > 0, what);
    }
    assert.ok(results.summary.every((s) => s.verified));
    for (const server of results.servers.filter((s) => !['parquet', 'file'].includes(s.sink))) {
      assert.ok(server.version, `${server.sink}: the server's version`);
    }

    const html = readFileSync(join(report, 'report.html'), 'utf8');
    for (const sink of SINKS) assert.ok(html.includes(sink), `report.html names ${sink}`);
    assert.ok(!/<script[^>]+src=/i.test(html), 'report.html loads no script from elsewhere');
    const svgs = readdirSync(report).filter((file) => file.endsWith('.svg'));
    assert.ok(svgs.length >= 3, `charts written: ${svgs.join(', ')}`);
    for (const svg of svgs) assert.match(readFileSync(join(report, svg), 'utf8'), /^<svg[\s\S]*<\/svg>\s*$/);
    assert.ok(existsSync(join(report, 'throughput.svg')));
    assert.match(output, /influxdb +sink/);
  });
});
