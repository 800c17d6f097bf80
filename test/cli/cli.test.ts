import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { cliPath, exited, repoRoot, startCli } from '../support/cli.js';

const root = repoRoot;
const cli = cliPath;
const tempDir = () => makeTempDir('streamlab-cli-');

function streamlab(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('streamlab CLI', () => {
  it("run rate-console --max-batches 3 prints Batch: 0, 1 and 2 in Spark's console format", () => {
    const { code, stdout, stderr } = streamlab(['run', 'rate-console', '--max-batches', '3', '--checkpoint', join(tempDir(), 'cp')]);
    assert.equal(code, 0, stderr);
    const batches = [...stdout.matchAll(/^Batch: (\d+)$/gm)].map((m) => Number(m[1]));
    assert.deepEqual(batches, [0, 1, 2]);
    assert.match(stdout, /\|\s*timestamp\|value\|/);
    assert.match(stderr, /\[rate-console\] batch 2: \d+ rows in/);
  });

  it('--progress json prints one StreamingQueryProgress object per batch (on stderr: the console sink has stdout)', () => {
    const { code, stdout, stderr } = streamlab(['run', 'people-file-console', '--progress', 'json', '--checkpoint', join(tempDir(), 'cp')]);
    assert.equal(code, 0);
    const progress = stderr
      .split('\n')
      .filter((l) => l.startsWith('{"id"'))
      .map((l) => JSON.parse(l));
    assert.equal(progress.length, 1, 'availableNow over one file: one batch, then stop');
    assert.equal(progress[0].name, 'people-file-console');
    assert.equal(progress[0].numInputRows, 3);
    assert.equal(progress[0].sources[0].endOffset, 'people.json');
    assert.match(stdout, /\|\s*Andy\|\s*30\|\s*true\|/);
  });

  it('list shows each job with its description', () => {
    const { code, stdout } = streamlab(['list']);
    assert.equal(code, 0);
    assert.match(stdout, /^rate-console\s+Spark's rate source/m);
  });

  it('validate --all accepts every shipped job', () => {
    const { code, stdout } = streamlab(['validate', '--all']);
    assert.equal(code, 0, stdout);
    assert.doesNotMatch(stdout, /invalid/);
  });

  it('explain shows input, steps with their columns, output, trigger and checkpoint', () => {
    const { code, stdout } = streamlab(['explain', 'rate-even-file']);
    assert.equal(code, 0);
    for (const expected of [
      /Input: RateStream\(rowsPerSecond=100, rampUpTime=0ms\)/,
      /Filter value % 2 == 0/,
      /columns: timestamp: timestamp, value: long, tr: double/,
      /Output: FileSink\[output\/rate-even, format=jsonl\]/,
      /Trigger:\s+processingTime 1s/,
      /Checkpoint:\s+\.checkpoints\/rate-even-file/,
    ])
      assert.match(stdout, expected);
  });

  it('bad jobs: exit 2, every problem with file, line and path, no stack trace', () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'jobs'));
    writeFileSync(
      join(cwd, 'jobs/bad.yaml'),
      'name: bad\nsource: { type: rate, rowsPerSecond: -1 }\noperators:\n  - filter: "value %% 2"\nsink: { type: nowhere }\n',
    );
    const { code, stdout } = streamlab(['validate', 'bad'], { cwd });
    assert.equal(code, 2);
    assert.match(stdout, /jobs\/bad\.yaml:2:\d+ source\.rowsPerSecond: /);
    assert.match(stdout, /jobs\/bad\.yaml:4:\d+ operators\[0\]\.filter: expected an expression but found '%'/);
    assert.match(stdout, /jobs\/bad\.yaml:5:\d+ sink\.type: unknown sink type 'nowhere'/);
    const run = streamlab(['run', 'bad'], { cwd });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^3 problems:/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('a bad expression names the file, the dotted path and the position', () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'jobs'));
    writeFileSync(
      join(cwd, 'jobs/expr.yaml'),
      'name: expr\nsource: { type: rate }\noperators:\n  - filter: "vlaue % 2 == 0"\nsink: { type: console }\n',
    );
    const { code, stderr } = streamlab(['run', 'expr'], { cwd });
    assert.equal(code, 2);
    assert.match(
      stderr,
      /^jobs\/expr\.yaml:4:14 operators\[0\]\.filter: unknown column 'vlaue' .*at position 1\n {4}vlaue % 2 == 0\n {4}\^\^\^\^\^\n/m,
    );
  });

  it('a missing job and an unset variable are config errors (exit 2)', () => {
    const missing = streamlab(['run', 'no-such-job']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /job 'no-such-job' not found: .* Jobs: .*rate-console/);
    const cwd = tempDir();
    mkdirSync(join(cwd, 'jobs'));
    writeFileSync(
      join(cwd, 'jobs/env.yaml'),
      'name: env\nsource: { type: socket, port: "${STREAMLAB_TEST_UNSET_PORT}" }\nsink: { type: console }\n',
    );
    const unset = streamlab(['run', 'env'], { cwd, env: { STREAMLAB_TEST_UNSET_PORT: undefined } });
    assert.equal(unset.code, 2);
    assert.match(unset.stderr, /environment variable STREAMLAB_TEST_UNSET_PORT is not set/);
  });

  it('a socket that refuses the connection is a runtime error (exit 1) naming the address, checkpoint untouched', () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'jobs'));
    writeFileSync(join(cwd, 'jobs/sock.yaml'), 'name: sock\nsource: { type: socket, host: 127.0.0.1, port: 1 }\nsink: { type: console }\n');
    const { code, stderr } = streamlab(['run', 'sock'], { cwd });
    assert.equal(code, 1);
    assert.match(stderr, /socket source cannot connect to 127\.0\.0\.1:1 \(ECONNREFUSED\)/);
    assert.deepEqual(readdirSync(join(cwd, '.checkpoints/sock/offsets')), []);
  });

  it('SIGINT finishes the batch in flight, commits it and exits 0', async () => {
    const cwd = tempDir();
    const { child } = await startCli(['run', join(root, 'jobs/rate-console.yaml'), '--checkpoint', 'cp'], cwd, /batch 1:/);
    child.kill('SIGINT');
    assert.equal(await exited(child), 0);
    const offsets = readdirSync(join(cwd, 'cp/offsets')).sort();
    const commits = readdirSync(join(cwd, 'cp/commits')).sort();
    assert.deepEqual(commits, offsets, 'every planned batch was committed');
  });

  it('rate-triangle-parquet killed with SIGKILL and restarted leaves every value exactly once', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'jobs'));
    cpSync(join(root, 'jobs/rate-triangle-parquet.yaml'), join(cwd, 'jobs/rate-triangle-parquet.yaml'));
    const first = await startCli(['run', 'rate-triangle-parquet'], cwd, /batch 2:/);
    first.child.kill('SIGKILL');
    await exited(first.child);
    const second = await startCli(['run', 'rate-triangle-parquet'], cwd, /batch \d+:[^\n]*\n[\s\S]*batch \d+:/);
    second.child.kill('SIGINT');
    assert.equal(await exited(second.child), 0, second.output());

    const values: number[] = [];
    const files = listFiles(join(cwd, 'output/rate-triangle')).filter((f) => f.endsWith('.parquet'));
    assert.ok(files.length > 0);
    for (const file of files) {
      const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(file) })) as Array<{ value: bigint | number; tr: number }>;
      for (const row of rows) {
        const v = Number(row.value);
        values.push(v);
        const m = ((v % 30) + 30) % 30;
        assert.equal(row.tr, -5 + 10 - (10 / 15) * Math.abs(m - 15), `tr of value ${v}`);
      }
    }
    values.sort((a, b) => a - b);
    assert.ok(values.length >= 30, `at least three seconds of rows (got ${values.length})`);
    assert.deepEqual(
      values,
      Array.from({ length: values.length }, (_, i) => i),
      'each value from 0 exactly once',
    );
  });
});

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}
