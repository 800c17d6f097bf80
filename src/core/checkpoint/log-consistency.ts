import { RuntimeError } from '../errors.js';

/** `batch 4` or `batches 0 to 7`, for messages. */
export function describeIds(ids: number[]): string | undefined {
  if (ids.length === 0) return undefined;
  return ids.length === 1 ? `batch ${ids[0]}` : `batches ${ids[0]} to ${ids.at(-1)}`;
}

/**
 * Checks that the two logs can be recovered from, the way Spark's HDFSMetadataLog insists on contiguous batch ids:
 * - offsets/ holds one entry per batch id from its oldest to its newest (purging removes the oldest first, so a hole
 *   in the middle means entries were deleted): a recovery over a hole would plan a committed batch again;
 * - every commit at or after the oldest offsets entry has its offsets entry: a commit without one means the offsets
 *   log was deleted or cut, and the query would start over and write committed batches again.
 * Commits older than the oldest offsets entry are what an interrupted purge leaves, and are harmless.
 */
export function checkLogs(dir: string, offsetIds: number[], commitIds: number[]): void {
  const refuse = (problem: string) =>
    new RuntimeError(
      `checkpoint ${dir}: ${problem}. Starting from it would run batches that were already committed again (duplicates in ` +
        `the sink). Restore the missing files from a backup, or delete ${dir} to start the query from scratch.`,
    );
  const newestCommit = commitIds.at(-1);
  if (offsetIds.length === 0) {
    if (newestCommit !== undefined) throw refuse(`offsets/ is empty or missing, but commits/ records ${describeIds(commitIds)}`);
    return;
  }
  const oldest = offsetIds[0];
  const newest = offsetIds.at(-1) as number;
  const present = new Set(offsetIds);
  const holes: number[] = [];
  for (let id = oldest; id <= newest && holes.length < 5; id++) if (!present.has(id)) holes.push(id);
  if (holes.length > 0) {
    throw refuse(`offsets/ has entries ${oldest} to ${newest} but not ${holes.join(', ')}${holes.length === 5 ? ', ...' : ''}`);
  }
  if (newestCommit !== undefined && newestCommit > newest) {
    throw refuse(`commits/${newestCommit} exists but offsets/ ends at ${newest}: offsets/${newest + 1} and after are missing`);
  }
}
