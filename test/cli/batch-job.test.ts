import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import { ParquetSink } from '../../src/sinks/parquet/sink.js';
import { cliPath } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

/*
 * Batch jobs through the built CLI: `batch: true` + a parquet source pruned to `${HOUR}` + availableNow. Every run
 * recomputes the hour from scratch (the second run prints the same totals, it does not say "nothing new"), an hour
 * without data says so, and a malformed --hour is a config error (exit 2).
 */

const JOB = `name: lake-hour
description: Total bytes per user in one hour of the lake.
batch: true
source:
  type: parquet
  path: lake
  hour: \${HOUR}
  schema: { timestamp: timestamp, id: string, bytes: long, hour: long }
operators:
  - groupBy: { keys: [hour, id], agg: { total: "sum(bytes)", n: "count()" } }
sink: { type: console, numRows: 100 }
outputMode: complete
trigger: { availableNow: true }
`;

/** user-1 .. user-3 over hours 12 and 13: in hour 13, user-k sent k * 100 bytes k times. */
function rows(): Row[] {
  const out: Row[] = [];
  for (const hour of [12, 13])
    for (let k = 1; k <= 3; k++)
      for (let j = 0; j < k; j++)
        out.push({ timestamp: new Date(Date.UTC(2026, 10, 30, hour, j)), id: `user-${k}`, bytes: k * 100 + hour });
  return out;
}

const run = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [cliPath, 'run', 'lake-hour', ...args], { cwd, encoding: 'utf8', env: { ...process.env, HOUR: '' } });

/** The console table's data lines as `hour|id|total|n`, sorted. */
const tableLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => /^\|\s*\d+\s*\|/.test(l))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim())
        .join('|'),
    )
    .sort();

describe('batch jobs: one hour of a lake, recomputed on every run', () => {
  let project = '';
  before(async () => {
    project = makeTempDir('streamlab-batch-');
    mkdirSync(join(project, 'jobs'));
    writeFileSync(join(project, 'jobs', 'lake-hour.yaml'), JOB);
    const sink = new ParquetSink({
      path: join(project, 'lake'),
      partitionBy: [{ kind: 'time', column: 'timestamp', granularity: 'hour' }],
      columns: [
        { name: 'timestamp', type: 'timestamp' },
        { name: 'id', type: 'string' },
        { name: 'bytes', type: 'long' },
      ],
      codec: 'snappy',
      rowGroupSize: 1000,
      queryName: 'test',
    });
    await sink.open({ queryId: 'writer', queryName: 'test', outputMode: 'append', logger: silentLogger });
    await sink.foreachBatch(rows(), 0);
  });

  it('--hour reads that hour only; a second run gives the same result, and no checkpoint is left behind', () => {
    const expected = ['13|user-1|113|1', '13|user-2|426|2', '13|user-3|939|3'];
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('streamlab-batch-lake-hour-')));
    for (const attempt of [1, 2]) {
      const result = run(project, '--hour', '2026-11-30T13');
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(tableLines(result.stdout), expected, `run ${attempt}`);
      assert.match(result.stderr, /starting a batch run \(from scratch/);
      assert.match(result.stderr, /batch run done: 1 batch, 6 rows read/);
    }
    assert.equal(existsSync(join(project, '.checkpoints', 'lake-hour')), false, 'no checkpoint in the project');
    const after = readdirSync(tmpdir()).filter((n) => n.startsWith('streamlab-batch-lake-hour-') && !before.has(n));
    assert.deepEqual(after, [], 'the run checkpoint is deleted');
  });

  it('HOUR from the environment works like --hour', () => {
    const result = spawnSync(process.execPath, [cliPath, 'run', 'lake-hour'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, HOUR: '2026-11-30T12' },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(tableLines(result.stdout), ['12|user-1|112|1', '12|user-2|424|2', '12|user-3|936|3']);
  });

  it('an hour without data writes nothing and says so', () => {
    const result = run(project, '--hour', '2026-11-30T14');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(tableLines(result.stdout), []);
    assert.match(result.stderr, /batch run done: the source had no data, nothing was written/);
  });

  it('a malformed or impossible --hour is a config error, exit 2, no stack', () => {
    for (const hour of ['2026-11-30 13', '2026-02-30T13', '2026-11-30T24']) {
      const result = run(project, '--hour', hour);
      assert.equal(result.status, 2, `${hour}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`--hour: expected a UTC hour as YYYY-MM-DDTHH.*found '${hour}'`));
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
  });

  it('batch: true without availableNow is refused, naming the key', () => {
    writeFileSync(
      join(project, 'jobs', 'bad-batch.yaml'),
      JOB.replace('name: lake-hour', 'name: bad-batch').replace('trigger: { availableNow: true }\n', ''),
    );
    const result = spawnSync(process.execPath, [cliPath, 'validate', 'bad-batch', '--hour', '2026-11-30T13'], {
      cwd: project,
      encoding: 'utf8',
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(
      result.stdout + result.stderr,
      /bad-batch\.yaml:3:\d+ batch: a batch job reads what is there and stops: it needs trigger: \{ availableNow: true \}/,
    );
  });
});
