import { ConfigError } from '../core/errors.js';
import type { QueryDefinition } from '../core/query.js';
import { buildParts, type PlanStep } from './build-parts.js';
import type { LoadedJob } from './load-job.js';
import { inFileOrder } from './problem-order.js';

export type { PlanStep } from './build-parts.js';

export interface BuiltJob {
  job: LoadedJob;
  query: QueryDefinition;
  plan: PlanStep[];
}

/**
 * Builds the components of a checked job: compiles expressions, derives each operator's schema from the one before,
 * creates the source and sink objects. No I/O: connections are made by `open()` when the query starts.
 *
 * Event-time facts (which column carries the watermark, which is a window) are handed from operator to operator like
 * the schema, and the output-mode rules (Spark's UnsupportedOperationChecker) are checked once all operators are
 * built: an invalid combination is a ConfigError, so `validate` and `run` both refuse it. Every problem found (each
 * bad expression, each component's own checks) is reported at once, in the order of the file.
 */
export function buildJob(job: LoadedJob): BuiltJob {
  const built = buildParts(job);
  if (built.problems.length > 0) throw new ConfigError(inFileOrder(built.problems, job.yaml), built.notes);
  return {
    job,
    plan: built.plan,
    query: {
      name: job.name,
      source: built.source!,
      operators: built.operators,
      sink: built.sink!,
      trigger: job.trigger,
      outputMode: job.outputMode,
      checkpointLocation: job.checkpointLocation,
      sourceIdentity: {
        type: job.source.definition.type,
        options: job.source.definition.offsetIdentity?.(job.source.options as never) ?? {},
      },
      unionSources: built.unionSources,
      multipleWatermarkPolicy: job.multipleWatermarkPolicy,
      maxRowsPerBatch: job.maxRowsPerBatch,
      cores: job.cores,
      onBadRecord: job.onBadRecord,
      deadLetterPath: job.deadLetterPath,
    },
  };
}
