import type { StreamingQuery } from '../core/query.js';

/**
 * The line `streamlab run` prints when an availableNow run found nothing to process (a second run of a job over the
 * same files): without it the job exits silently, and a newcomer cannot tell a finished job from a broken one.
 * Undefined when a batch ran, or when the run was not expected to run any (--max-batches 0, stopped by a signal).
 */
export function nothingNewMessage(
  query: StreamingQuery,
  run: { job: string; checkpoint: string; fromFlag: boolean; maxBatches?: number; stoppedBySignal: boolean },
): string | undefined {
  if (query.definition.trigger.kind !== 'availableNow' || query.batchesRunHere > 0) return undefined;
  if (run.maxBatches === 0 || run.stoppedBySignal) return undefined;
  const startOver = run.fromFlag ? `delete ${run.checkpoint}` : `streamlab reset ${run.job}`;
  const next = query.nextBatchId ?? 0;
  if (next === 0) return `nothing to process: the source has no data yet (checkpoint ${run.checkpoint})`;
  return (
    `nothing new since batch ${next - 1}: the checkpoint at ${run.checkpoint} has processed everything available ` +
    `(${startOver} to start over)`
  );
}
