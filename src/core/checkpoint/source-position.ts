import { RuntimeError } from '../errors.js';
import type { Offset } from '../row.js';
import type { Source } from '../source.js';

/**
 * Refuses a checkpoint whose recorded offset is ahead of what its replayable source has now. The default trigger
 * would otherwise wait, silently and for ever, for a file name or a second that never comes, or read the range
 * backwards. It happens when the source's origin changed (`sources/0/0` edited), the clock went back, or the
 * checkpoint was copied from other data. Offsets are compared when they are numbers (generators: rows or seconds
 * since the start) or strings (the file source: file names in name order); other shapes are left alone.
 */
export async function checkSourceNotBehind(
  dir: string,
  batchId: number,
  recorded: Offset | null,
  source: Source,
  start: Offset | null,
  index = 0,
) {
  if (!source.replayable || recorded === null) return;
  const latest = await source.latestOffset(start);
  if (latest !== null && !isBefore(latest, recorded)) return;
  throw new RuntimeError(
    `checkpoint ${dir}: offsets/${batchId} records offset ${JSON.stringify(recorded)} of ${source.description}${index > 0 ? ` (source ${index})` : ''}, but the ` +
      `source's latest offset is ${JSON.stringify(latest)}: the checkpoint is ahead of its source (its origin in ` +
      `${dir}/sources/${index}/0 changed, the clock went back, or the checkpoint belongs to other data). Running would wait for ` +
      `rows that never come. Delete ${dir} to start the query from scratch, or give it the checkpoint of this data.`,
  );
}

function isBefore(a: Offset, b: Offset): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  return false;
}
