import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { loadJob } from '../../src/config/load-job.js';
import { ConfigError, formatProblem } from '../../src/core/errors.js';

/** A throwaway working directory with jobs/ and config/ files. */
function workspace(files: Record<string, string>): string {
  const cwd = makeTempDir('streamlab-config-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(cwd, path, '..'), { recursive: true });
    writeFileSync(join(cwd, path), text);
  }
  return cwd;
}

function problems(cwd: string, job: string, env: Record<string, string> = {}): string[] {
  try {
    loadJob(job, { cwd, env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems.map(formatProblem);
  }
  assert.fail('expected the job to be rejected');
}

const valid = `name: demo
source: { type: rate, rowsPerSecond: 5 }
sink: { type: console }
trigger: { processingTime: 2s }
`;

describe('loadJob', () => {
  it('loads a valid job with defaults and the default checkpoint', () => {
    const cwd = workspace({ 'jobs/demo.yaml': valid });
    const job = loadJob('demo', { cwd, env: {} });
    assert.equal(job.name, 'demo');
    assert.deepEqual(job.source.options, { rowsPerSecond: 5, rampUpTime: 0 });
    assert.deepEqual(job.trigger, { kind: 'processingTime', intervalMs: 2000 });
    assert.equal(job.outputMode, 'append');
    assert.equal(job.checkpointLocation, join(cwd, '.checkpoints', 'demo'), 'in the project folder (the one holding jobs/)');
  });

  it('names a missing job and lists the ones there are', () => {
    const cwd = workspace({ 'jobs/demo.yaml': valid });
    assert.deepEqual(problems(cwd, 'dmeo'), [
      `job 'dmeo' not found: no ${join(cwd, 'jobs', 'dmeo')}.yaml. Jobs: demo. Run \`streamlab list\` to see them with descriptions.`,
    ]);
  });

  it('reports every problem at once, each with file, line and dotted path', () => {
    const cwd = workspace({
      'jobs/bad.yaml': `name: bad
source: { type: rate, rowsPerSecnd: 5 }
operators:
  - filter: 42
  - frobnicate: {}
sink: { type: consol }
trigger: { processingTime: soon }
`,
    });
    // One pass: the top-level shape (trigger) and every component, in the order of the file.
    const found = problems(cwd, 'bad');
    // The lists of known types grow with the registry; check their start.
    assert.equal(found.length, 5);
    assert.equal(found[0], `jobs/bad.yaml:2:37 source.rowsPerSecnd: unknown key 'rowsPerSecnd' (allowed: rowsPerSecond, rampUpTime)`);
    assert.equal(found[1], `jobs/bad.yaml:4:13 operators[0].filter: Invalid input: expected string, received number`);
    assert.match(
      found[2],
      /^jobs\/bad\.yaml:5:5 operators\[1\]: unknown operator type 'frobnicate' \(known: filter, select, withColumn, drop, explode, triangle/,
    );
    assert.match(found[3], /^jobs\/bad\.yaml:6:15 sink\.type: unknown sink type 'consol' \(known: console, memory, file, parquet/);
    assert.equal(found[4], `jobs/bad.yaml:7:28 trigger.processingTime: expected a duration such as 500ms, 1s, 10 seconds, 5m, 1 hour`);
  });

  it('rejects a bad duration with what it expected', () => {
    const cwd = workspace({ 'jobs/d.yaml': `name: d\nsource: { type: sine, interval: fast }\nsink: { type: console }\n` });
    assert.deepEqual(problems(cwd, 'd'), [
      'jobs/d.yaml:2:33 source.interval: expected a positive duration: a duration such as 500ms, 1s, 10 seconds, 5m, 1 hour',
    ]);
  });

  it('interpolates ${VAR} and ${VAR:-default}, typed when the whole value is one reference, and names unset ones', () => {
    const text = `name: env\nsource: { type: rate, rowsPerSecond: "\${RPS}" }\nsink: { type: file, path: "out/\${DIR:-default}" }\n`;
    const cwd = workspace({ 'jobs/env.yaml': text });
    const job = loadJob('env', { cwd, env: { RPS: '7' } });
    assert.equal((job.source.options as { rowsPerSecond: number }).rowsPerSecond, 7);
    assert.equal((job.sink.options as { path: string }).path, 'out/default');
    assert.deepEqual(problems(cwd, 'env'), [
      'jobs/env.yaml:2:38 source.rowsPerSecond: environment variable RPS is not set and has no default: set it (or put it in .env), or write ${RPS:-default}',
    ]);
  });

  it('reads .env from the working directory; real variables win', () => {
    const cwd = workspace({
      'jobs/env.yaml': `name: env\nsource: { type: rate, rowsPerSecond: "\${RPS}" }\nsink: { type: console }\n`,
      '.env': 'RPS=3\n',
    });
    const saved = process.env.RPS;
    delete process.env.RPS;
    try {
      assert.equal((loadJob('env', { cwd }).source.options as { rowsPerSecond: number }).rowsPerSecond, 3);
      process.env.RPS = '9';
      assert.equal((loadJob('env', { cwd }).source.options as { rowsPerSecond: number }).rowsPerSecond, 9);
    } finally {
      if (saved === undefined) delete process.env.RPS;
      else process.env.RPS = saved;
    }
  });

  it("merges a profile under the job's own options and places errors in the file they come from", () => {
    const cwd = workspace({
      'config/local.yaml': 'type: socket\nhost: 127.0.0.1\nport: nine\n',
      'jobs/p.yaml': 'name: p\nsource: { type: socket, profile: local, includeTimestamp: true }\nsink: { type: console }\n',
    });
    assert.deepEqual(problems(cwd, 'p'), ['config/local.yaml:3:7 port: Invalid input: expected number, received string']);
    writeFileSync(join(cwd, 'config/local.yaml'), 'type: socket\nhost: 127.0.0.1\nport: 9999\n');
    assert.deepEqual(loadJob('p', { cwd, env: {} }).source.options, {
      host: '127.0.0.1',
      port: 9999,
      includeTimestamp: true,
      maxLineBytes: 4194304,
      onLongLine: 'fail',
      maxBufferedRows: 100000,
      onBufferFull: 'block',
    });
  });

  it('reports YAML syntax errors with their line', () => {
    const cwd = workspace({ 'jobs/y.yaml': 'name: y\nsource: { type: rate\nsink: x\n' });
    const found = problems(cwd, 'y');
    assert.ok(found.length >= 1);
    assert.match(found[0], /^jobs\/y\.yaml:\d+:\d+: YAML syntax: /);
  });
});
