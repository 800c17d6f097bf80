import { createHash } from 'node:crypto';

/** 8 hex digits of the query id's SHA-256: tells two queries (or a job whose checkpoint was deleted) apart. */
export const queryTag = (queryId: string): string => createHash('sha256').update(queryId).digest('hex').slice(0, 8);

/** A job name as a label prefix: characters StarRocks refuses in labels become `_`, and it is cut to 60. */
export const labelPrefixOf = (name: string): string => (name.replace(/[^-_A-Za-z0-9]/g, '_') || 'streamlab').slice(0, 60);

/**
 * The label of part `part` of batch `batchId`: `<prefix>-<query tag>-<batchId>-<part>`, e.g.
 * `sensor-starrocks-1a2b3c4d-42-0`. A pure function of (query, batch, part), so a replayed batch carries the labels
 * of its first attempt, and StarRocks answers "Label Already Exists" instead of loading the rows again. Labels are
 * kept by the FE for label_keep_max_second (3 days by default): a replay within that time is recognised.
 */
export function loadLabel(prefix: string, queryId: string, batchId: number, part: number): string {
  return `${prefix}-${queryTag(queryId)}-${batchId}-${part}`;
}
