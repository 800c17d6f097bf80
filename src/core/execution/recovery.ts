import type { Checkpoint } from '../checkpoint/checkpoint.js';
import type { Logger } from '../logger.js';
import type { Source } from '../source.js';
import type { BatchPlanner } from './batch-planner.js';
import type { WatermarkTracker } from './watermark-tracker.js';

/**
 * Spark's `populateStartOffsets`: after a committed batch N the run goes on at N+1 with the watermark commits/N
 * recorded; an uncommitted batch N runs again from N-1's end with its logged offsets, if the source can replay it.
 */
export async function recoverPosition(
  checkpoint: Checkpoint,
  source: Source,
  planner: BatchPlanner,
  watermark: WatermarkTracker,
  logger: Logger,
): Promise<void> {
  const latest = await checkpoint.offsets.latest();
  if (latest === undefined) return;
  const entry = (await checkpoint.readOffsets(latest))!;
  const commit = await checkpoint.readCommit(latest);
  const previous = latest > 0 ? await checkpoint.readOffsets(latest - 1) : undefined;
  if (commit) {
    planner.resumeAt(latest + 1, source.replayable ? entry.offsets[0] : null);
    watermark.restore(commit.nextBatchWatermarkMs, entry.batchWatermarkMs);
    return;
  }
  watermark.restore(entry.batchWatermarkMs, 0);
  if (source.replayable) {
    planner.resumeAt(latest, previous?.offsets[0] ?? null, entry);
  } else {
    // Closed, not planned anew under the same id: a sink that recognises batch ids (commit table, labels, files
    // named by batch) would take this run's new rows for a replay and skip them.
    await checkpoint.writeCommit(latest, { nextBatchWatermarkMs: entry.batchWatermarkMs });
    watermark.restore(entry.batchWatermarkMs, entry.batchWatermarkMs); // closed as if it ran: the next judges late rows by it
    planner.resumeAt(latest + 1, null);
    logger.warn(
      `batch ${latest} of the previous run never committed, and ${source.description} is not replayable: ` +
        `its rows cannot be read again; what the sink wrote of them stays, the rest is lost. The run goes on at batch ${latest + 1}.`,
    );
  }
}
