/**
 * The sink under test, built the way a job builds it: the bench writes a job in memory (the workload's source, the
 * target's sink with its profile and options, availableNow, maxRowsPerBatch) and hands it to the same loader and
 * builder as `streamlab run`, so profiles, `${VAR}`, option schemas and their messages are the jobs' own.
 */
import { buildJob, type BuiltJob } from '../config/build-job.js';
import type { Env } from '../config/env.js';
import { loadJobValue, loadSinkConnection } from '../config/load-job.js';
import type { BenchTarget, SinkConnection } from './target.js';
import type { TargetConfig } from './plan.js';

export interface JobPlace {
  cwd: string;
  env: Env;
}

/** `{ type, profile, ...options }` of a target's sink: the target's defaults under the bench's options. */
export function sinkReference(config: TargetConfig, target: BenchTarget, extra: Record<string, unknown> = {}) {
  const profile = config.profile ?? target.profile;
  return { type: config.sink, ...(profile ? { profile } : {}), ...target.defaults, ...config.options, ...extra };
}

/** What the target connects with: the sink's options as its schema parsed them, the table of each run still missing. */
export function sinkConnection(config: TargetConfig, target: BenchTarget, place: JobPlace): SinkConnection {
  const checked = loadSinkConnection(sinkReference(config, target), `bench target '${config.target}'`, place);
  return checked.options as SinkConnection;
}

export interface RunJob {
  name: string;
  source: Record<string, unknown> & { type: string };
  sink: Record<string, unknown> & { type: string };
  batchSize: number;
  checkpointLocation: string;
}

/** The job of one run, checked and built as a job file would be (throws ConfigError naming the bench target). */
export function buildRunJob(run: RunJob, target: string, place: JobPlace): BuiltJob {
  const job = {
    name: run.name,
    source: run.source,
    sink: run.sink,
    trigger: { availableNow: true },
    maxRowsPerBatch: run.batchSize,
    checkpointLocation: run.checkpointLocation,
  };
  return buildJob(loadJobValue(job, `bench target '${target}'`, place));
}
