import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../durable-file.js';
import { ConfigError, RuntimeError } from '../errors.js';
import { damagedFile, parseJson } from './entry-format.js';
import { checkSourceIdentity, type SourceIdentity } from './source-identity.js';

/** `metadata`: Spark's `{"id": ...}` plus the query name and what its source's offsets mean. */
export interface QueryMetadata {
  id: string;
  name: string;
  /** Absent in checkpoints written before streamlab recorded it: added on the next run. */
  source?: SourceIdentity;
  /** The sources of the union branches (sources 1, 2, ...), in order; absent for a query of one source. */
  unionSources?: SourceIdentity[];
}

/**
 * Reads `metadata`, or creates it for a new checkpoint. The query id in it is what sinks key their commits by (the
 * SQL sinks' commit table, StarRocks labels): a checkpoint whose logs have batches but whose metadata is gone would
 * get a new id, and its sink would write the replayed batch again. So that is refused, as is a checkpoint of another
 * query or of another source.
 */
export async function openMetadata(
  dir: string,
  name: string,
  source: SourceIdentity | undefined,
  batches: string | undefined,
  unionSources: readonly SourceIdentity[] = [],
) {
  const path = join(dir, 'metadata');
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new RuntimeError(`checkpoint file ${path} cannot be read: ${error.message}`);
  });
  if (text === undefined) {
    if (batches !== undefined) {
      throw new RuntimeError(
        `checkpoint ${dir} has no metadata file, but its logs record ${batches}. metadata holds the query id that sinks ` +
          'use to recognise batches they already wrote: with a new id, the next batch would be written again. Restore ' +
          `${path} (one line: {"id":"<query id>","name":"${name}"}), or delete ${dir} to start the query from scratch.`,
      );
    }
    const unions = unionSources.length > 0 ? { unionSources: [...unionSources] } : {};
    const created: QueryMetadata = { id: randomUUID(), name, ...(source ? { source } : {}), ...unions };
    await writeFileAtomic(path, `${JSON.stringify(created)}\n`);
    return created;
  }
  const metadata = parseJson(text.trim(), 'its content', path, dir) as QueryMetadata;
  if (typeof metadata?.id !== 'string' || metadata.id.length === 0) throw damagedFile(path, 'it has no query "id"', dir);
  if (metadata.name !== undefined && metadata.name !== name) {
    throw ConfigError.single({
      path: 'checkpointLocation',
      message:
        `checkpoint ${dir} belongs to query '${metadata.name}' (id ${metadata.id}), not '${name}'. ` +
        `Give this job its own checkpointLocation, or delete ${dir} to start '${name}' from scratch.`,
    });
  }
  if (source === undefined) return metadata;
  if (metadata.source !== undefined) {
    checkSourceIdentity(dir, metadata.source, source);
    checkUnionSources(dir, metadata.unionSources ?? [], unionSources);
    return metadata;
  }
  // Written before the source was recorded: record it now, so that from this run on a change is noticed.
  const upgraded: QueryMetadata = { ...metadata, source, ...(unionSources.length > 0 ? { unionSources: [...unionSources] } : {}) };
  await writeFileAtomic(path, `${JSON.stringify(upgraded)}\n`);
  return upgraded;
}

/**
 * The union branches' sources must be the ones the checkpoint was written with, in the same order: offsets/N holds one
 * line per source by position, so another number or order of branches would read one source's offsets as another's.
 */
function checkUnionSources(dir: string, recorded: readonly SourceIdentity[], current: readonly SourceIdentity[]): void {
  if (recorded.length !== current.length) {
    throw ConfigError.single({
      path: 'operators',
      message:
        `checkpoint ${dir} was written by a query of ${recorded.length + 1} source${recorded.length === 0 ? '' : 's'}, the job now reads ` +
        `${current.length + 1} (its source and the sources of its union branches). Its offsets log holds one offset per source by ` +
        'position, so it cannot go on (Spark refuses a changed number of sources too). Put the union branches back as they were, ' +
        `or give the job a new checkpointLocation (or delete ${dir}) to start it from scratch.`,
    });
  }
  for (const [i, identity] of recorded.entries()) checkSourceIdentity(dir, identity, current[i], `union source ${i + 1}`);
}
