/**
 * Runs a job file's source the way `streamlab run` does (loadJob + buildJob: options, defaults, source identity,
 * maxRowsPerBatch), into a RecordingSink instead of the job's sink, with its trigger (availableNow for bounded
 * sources). Used by the generator sources' tests (tsbs-cpu, wide, sensor) to check what a job really gets.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './temp-dir.js';
import { stringify } from 'yaml';
import { buildJob } from '../../src/config/build-job.js';
import { loadJob } from '../../src/config/load-job.js';
import { StreamingQuery } from '../../src/core/query.js';
import { RecordingSink } from '../streaming/harness.js';

export interface GeneratorJob {
  dir: string;
  sink: RecordingSink;
  /** Runs the query on the job's checkpoint until it ends (availableNow) or fails; resolves to the error, if any. */
  run(): Promise<unknown>;
}

/** A job reading `source` with trigger availableNow and maxRowsPerBatch, in a fresh folder with its checkpoint. */
export function generatorJob(source: Record<string, unknown>, maxRowsPerBatch: number): GeneratorJob {
  const dir = makeTempDir('streamlab-generator-');
  mkdirSync(join(dir, 'jobs'));
  const job = {
    name: 'generator',
    source,
    sink: { type: 'console' },
    trigger: { availableNow: true },
    maxRowsPerBatch,
    checkpointLocation: join(dir, 'checkpoint'),
  };
  writeFileSync(join(dir, 'jobs', 'generator.yaml'), stringify(job));
  const sink = new RecordingSink();
  return {
    dir,
    sink,
    async run() {
      // Built again for every run, as a restarted process would: a new source object on the same checkpoint.
      const built = buildJob(loadJob('generator', { cwd: dir, env: {} }));
      const query = new StreamingQuery({ ...built.query, sink }, { pollMs: 1 });
      return query.run().then(
        () => undefined,
        (error: unknown) => error,
      );
    },
  };
}
