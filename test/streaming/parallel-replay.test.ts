/**
 * A job with a parallel stage, end to end through the engine and the file sink: the files written with cores 2 are
 * byte for byte those written with cores 1, and a batch replayed after a crash before its commit (commits/N removed,
 * its file deleted) is written again byte for byte.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildJob } from '../../src/config/build-job.js';
import { loadJobValue } from '../../src/config/load-job.js';
import type { ParallelStageOperator } from '../../src/core/columnar/parallel/stage.js';
import { StreamingQuery } from '../../src/core/query.js';
import { makeTempDir } from '../support/temp-dir.js';

const dir = makeTempDir('streamlab-parallel-replay-');

function job(out: string): Record<string, unknown> {
  return {
    name: 'parallel-replay',
    source: { type: 'rate-micro-batch', rowsPerBatch: 5000, startTimestamp: 1_700_000_000_000 },
    operators: [
      { filter: 'value % 3 != 1' },
      { withColumn: { name: 'q', expr: '(value - 2500) / (value % 7)' } },
      { triangle: { column: 'value', as: 'tr' } },
      { select: ['timestamp', 'value', 'q', 'tr', 'q is null as nothing'] },
    ],
    sink: { type: 'file', path: out, format: 'jsonl' },
  };
}

/** Runs `batches` batches with `cores`; the stage's counts (cores > 1). */
async function run(name: string, cores: number, batches: number) {
  const built = buildJob(loadJobValue(job(join(dir, name, 'out')), `${name}.yaml`, { env: {} }));
  const query = new StreamingQuery(
    { ...built.query, cores, checkpointLocation: join(dir, name, 'checkpoint') },
    { maxBatches: batches, pollMs: 1, parallelMinRows: 1000 },
  );
  await query.run();
  const stage = (query as unknown as { planned: ParallelStageOperator[] }).planned[0];
  return stage.counts ? { ...stage.counts } : undefined;
}

function files(name: string): Record<string, string> {
  const out = join(dir, name, 'out');
  return Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
}

describe('a job with a parallel stage', () => {
  it('writes with cores 2 the bytes it writes with cores 1, and a replayed batch the same bytes again', async () => {
    assert.equal(await run('one', 1, 3), undefined, 'cores 1: no stage');
    assert.deepEqual(await run('two', 2, 3), { sliced: 3, fellBack: 0 });
    const one = files('one');
    const two = files('two');
    assert.deepEqual(Object.keys(two), ['part-00000000.jsonl', 'part-00000001.jsonl', 'part-00000002.jsonl']);
    assert.deepEqual(two, one);
    assert.equal(
      two['part-00000001.jsonl'].split('\n').length - 1,
      3334,
      'batch 1 (values 5000-9999) keeps the 3334 whose value % 3 is not 1',
    );

    // A crash after batch 2 was written but before commits/2: the restart runs batch 2 again.
    rmSync(join(dir, 'two', 'checkpoint', 'commits', '2'));
    rmSync(join(dir, 'two', 'out', 'part-00000002.jsonl'));
    assert.deepEqual(await run('two', 2, 1), { sliced: 1, fellBack: 0 });
    assert.deepEqual(files('two'), one);
  });
});
