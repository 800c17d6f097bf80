/**
 * The three ways a run writes its batches: the sink in a query (`exactly-once`), the same sink driven directly
 * (`none`), and the server's baseline. Each gets the same batches of the same rows.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../core/logger.js';
import type { Guarantee } from '../plan.js';
import { buildRunJob, sinkReference, type JobPlace } from '../sink-job.js';
import type { TargetConfig } from '../plan.js';
import type { Baseline, BenchTarget, Destination, DestinationSpec } from '../target.js';
import type { Workload } from '../workload.js';
import type { BatchSlice } from './batches.js';
import { driveBatches } from './drive-direct.js';
import { driveQuery } from './drive-query.js';
import type { DriveHooks, WriteTimings } from './timings.js';

export interface SinkWrite {
  config: TargetConfig;
  target: BenchTarget;
  workload: Workload;
  scale: number;
  guarantee: Guarantee;
  place: JobPlace;
}

/** The sink under test into `destination`, built per run exactly as a job builds it. */
export async function writeWithSink(
  w: SinkWrite,
  destination: Destination,
  spec: DestinationSpec,
  slices: BatchSlice[],
  hooks: DriveHooks,
): Promise<WriteTimings> {
  const batchSize = slices[0].count;
  const total = slices.at(-1)!.rowsThrough;
  const checkpoint = await mkdtemp(join(tmpdir(), 'streamlab-bench-'));
  try {
    const built = buildRunJob(
      {
        name: `bench-${spec.name}`,
        source: w.workload.source(total, w.scale),
        sink: sinkReference(w.config, w.target, destination.sinkOptions),
        batchSize,
        checkpointLocation: checkpoint,
      },
      w.config.target,
      w.place,
    );
    if (w.guarantee === 'exactly-once') return await driveQuery(built.query, slices, hooks);
    const sink = built.query.sink;
    await sink.open({ queryId: randomUUID(), queryName: built.query.name, outputMode: 'append', logger: silentLogger });
    try {
      const rowsOf = (s: BatchSlice) => w.workload.rows(s.from, s.count, w.scale);
      return await driveBatches(slices, rowsOf, (rows, s) => sink.foreachBatch(rows, s.batchId), hooks);
    } finally {
      await sink.close();
    }
  } finally {
    await rm(checkpoint, { recursive: true, force: true });
  }
}

/** The server's own bulk path, one call per batch. */
export function writeWithBaseline(
  baseline: Baseline,
  workload: Workload,
  scale: number,
  destination: Destination,
  spec: DestinationSpec,
  slices: BatchSlice[],
  hooks: DriveHooks,
): Promise<WriteTimings> {
  const rowsOf = (s: BatchSlice) => workload.rows(s.from, s.count, scale);
  return driveBatches(slices, rowsOf, (rows) => baseline.write([rows], destination, spec), hooks);
}
