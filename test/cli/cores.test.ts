/**
 * The `cores` option from the command line: `streamlab run --cores N` overrides the job's cores (the same files
 * either way), a bad value exits 2 naming the flag, and `explain` says which steps run over slices on how many threads.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildJob } from '../../src/config/build-job.js';
import { loadJobValue } from '../../src/config/load-job.js';
import { formatExplain } from '../../src/cli/explain.js';
import { cliPath } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

const dir = makeTempDir('streamlab-cores-cli-');

function jobFile(name: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      'cores: 1',
      'source: { type: rate-micro-batch, rowsPerBatch: 150000 }',
      'operators:',
      '  - filter: value % 2 == 0',
      "  - withColumn: { name: tr, expr: 'triangle(value, 0, 30, 10)' }",
      `sink: { type: file, path: ${join(dir, name, 'out')} }`,
      `checkpointLocation: ${join(dir, name, 'checkpoint')}`,
      '',
    ].join('\n'),
  );
  return file;
}

const cli = (args: string[]) => spawnSync(process.execPath, [cliPath, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });

function files(name: string): Record<string, string> {
  const out = join(dir, name, 'out');
  return Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
}

describe('streamlab run --cores', () => {
  it('writes with --cores 2 the files the job writes with its cores: 1', () => {
    const one = cli(['run', jobFile('one'), '--max-batches', '2']);
    assert.equal(one.status, 0, one.stderr);
    const two = cli(['run', jobFile('two'), '--max-batches', '2', '--cores', '2']);
    assert.equal(two.status, 0, two.stderr);
    assert.deepEqual(Object.keys(files('two')), ['part-00000000.jsonl', 'part-00000001.jsonl']);
    assert.deepEqual(files('two'), files('one'));
  });

  it('refuses --cores 0 with exit 2, naming the flag', () => {
    const result = cli(['run', jobFile('zero'), '--cores', '0']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--cores: expected a whole number >= 1, found '0'/);
  });
});

describe('explain shows the cores', () => {
  const explain = (cores: number, operators: unknown[]) =>
    formatExplain(
      buildJob(
        loadJobValue(
          { name: 'cores-explain', cores, source: { type: 'rate-micro-batch', rowsPerBatch: 10 }, operators, sink: { type: 'console' } },
          'cores-explain.yaml',
          { env: {} },
        ),
      ),
    )
      .split('\n')
      .find((line) => line.startsWith('Cores:'));

  it('names the steps of each stage, or says why none run in parallel', () => {
    const stateless = [{ filter: 'value > 1' }, { select: ['value'] }];
    assert.equal(
      explain(3, stateless),
      'Cores:          3: steps 1-2 over slices of each columnar batch of >= 100,000 rows, on the main thread and 2 worker threads (same rows, same order)',
    );
    assert.equal(explain(1, stateless), 'Cores:          1: every step on the main thread (cores)');
    assert.equal(
      explain(2, [{ withWatermark: { column: 'timestamp', delay: '1 second' } }]),
      'Cores:          2, unused: no run of stateless steps (filter, withColumn, triangle, select, drop)',
    );
  });
});
