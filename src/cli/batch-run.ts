import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedJob } from '../config/load-job.js';
import type { StreamingQuery } from '../core/query.js';

/**
 * A batch job's run (`batch: true`, Spark's `spark.read ... write`): the query runs on a checkpoint made for this run
 * and deleted when it ends, so every run reads everything its bounded source has (one hour of a lake) instead of
 * "nothing new since batch N", and a second run for the same hour recomputes it. The sink's own replay protection
 * still holds within the run; replacing what an earlier run wrote is the sink's job (the postgres sink's
 * replaceWhere). Dead letters go beside the job's usual checkpoint, not into the folder that is deleted.
 */
export interface BatchCheckpoint {
  dir: string;
  /** Counts the rows of the query's batches, for the summary. */
  watch(query: StreamingQuery): void;
  /** One line for the end of the run: what was read, or that the source had nothing. */
  summary(query: StreamingQuery): string;
  remove(): Promise<void>;
}

/** The run's checkpoint folder is only named here: the query creates it when it starts, `remove` deletes it. */
export function batchCheckpoint(job: LoadedJob): BatchCheckpoint {
  job.deadLetterPath ??= join(job.checkpointLocation, 'deadLetters');
  const dir = join(tmpdir(), `streamlab-batch-${job.name}-${randomUUID().slice(0, 8)}`);
  let rows = 0;
  return {
    dir,
    watch(query) {
      query.progress$.subscribe((p) => {
        rows += p.numInputRows;
      });
    },
    summary(query) {
      const batches = query.batchesRunHere;
      if (batches === 0) return 'batch run done: the source had no data, nothing was written';
      return `batch run done: ${batches} batch${batches === 1 ? '' : 'es'}, ${rows} rows read`;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
