import type { Checkpoint } from '../checkpoint/checkpoint.js';
import type { Logger } from '../logger.js';
import type { Offset } from '../row.js';
import type { Source } from '../source.js';
import type { BatchPlanner } from './batch-planner.js';
import { WATERMARK_POLICY_CONF, type WatermarkPolicy, type WatermarkTracker } from './watermark-tracker.js';

/**
 * Spark's `populateStartOffsets`: after a committed batch N the run goes on at N+1 with the watermark commits/N
 * recorded; an uncommitted batch N runs again from N-1's ends with its logged offsets, if every source can replay it.
 * The multiple-watermark policy the latest entry records stays in force (Spark restores the conf from offsets/N).
 */
export async function recoverPosition(
  checkpoint: Checkpoint,
  sources: readonly Source[],
  planner: BatchPlanner,
  watermark: WatermarkTracker,
  logger: Logger,
): Promise<void> {
  const latest = await checkpoint.offsets.latest();
  if (latest === undefined) return;
  const entry = (await checkpoint.readOffsets(latest))!;
  restorePolicy(entry.conf, watermark, logger);
  const commit = await checkpoint.readCommit(latest);
  const previous = latest > 0 ? await checkpoint.readOffsets(latest - 1) : undefined;
  // A push source's offsets are sequence numbers of the run that wrote them: they mean nothing to this one.
  const kept = (offsets: readonly (Offset | null)[] | undefined) => sources.map((s, i) => (s.replayable ? (offsets?.[i] ?? null) : null));
  if (commit) {
    planner.resumeAt(latest + 1, kept(entry.offsets));
    watermark.restore(commit.nextBatchWatermarkMs, entry.batchWatermarkMs);
    return;
  }
  watermark.restore(entry.batchWatermarkMs, 0);
  const lost = sources.filter((s) => !s.replayable);
  if (lost.length === 0) {
    planner.resumeAt(latest, kept(previous?.offsets), entry);
    return;
  }
  // Closed, not planned anew under the same id: a sink that recognises batch ids (commit table, labels, files
  // named by batch) would take this run's new rows for a replay and skip them.
  await checkpoint.writeCommit(latest, { nextBatchWatermarkMs: entry.batchWatermarkMs });
  watermark.restore(entry.batchWatermarkMs, entry.batchWatermarkMs); // closed as if it ran: the next judges late rows by it
  planner.resumeAt(latest + 1, kept(entry.offsets));
  const names = lost.map((s) => s.description).join(', ');
  logger.warn(
    `batch ${latest} of the previous run never committed, and ${names} ${lost.length === 1 ? 'is' : 'are'} not replayable: ` +
      `its rows cannot be read again; what the sink wrote of them stays, the rest is lost. The run goes on at batch ${latest + 1}.`,
  );
}

/** The policy recorded in the checkpoint wins over the job's, with a warning when they differ, as in Spark. */
function restorePolicy(conf: Record<string, string> | undefined, watermark: WatermarkTracker, logger: Logger): void {
  // Entries without it predate the setting: Spark reads those as `min`.
  const recorded = conf?.[WATERMARK_POLICY_CONF] ?? 'min';
  if (recorded !== 'min' && recorded !== 'max') return;
  if (recorded !== watermark.policy) {
    logger.warn(
      `multipleWatermarkPolicy: the checkpoint was written with '${recorded}', the job now says '${watermark.policy}'; ` +
        `'${recorded}' stays in force so that a restart computes what the first run did (Spark keeps the checkpoint's ` +
        `${WATERMARK_POLICY_CONF} too). Use a new checkpointLocation to change it.`,
    );
  }
  watermark.restorePolicy(recorded as WatermarkPolicy);
}
