import { RuntimeError } from '../errors.js';
import type { Offset } from '../row.js';

/** What `offsets/<batchId>` records before the batch runs: Spark's OffsetSeq. */
export interface OffsetEntry {
  batchId: number;
  batchWatermarkMs: number;
  batchTimestampMs: number;
  /**
   * The watermark input rows of this batch are judged late against: the previous batch's batchWatermarkMs (Spark 4's
   * rule, see MicroBatch.lateWatermarkMs). Spark reads it from offsets/N-1; here it is written into offsets/N, so a
   * replay does not depend on the previous entry still being there. Entries written before it existed lack it: they
   * were run with batchWatermarkMs for late rows, so that is what a replay of them uses.
   */
  lateEventsWatermarkMs: number;
  /**
   * End offset of each source, in source order (the job's source, then each union branch's): null for a source that
   * has had no data yet, written `-` as Spark writes it (OffsetSeqLog's SERIALIZED_VOID_OFFSET).
   */
  offsets: (Offset | null)[];
  /**
   * Settings that decide what the batch computes, recorded so a restart computes the same (Spark's
   * OffsetSeqMetadata.conf): `spark.sql.streaming.multipleWatermarkPolicy`. Absent in entries written before it was
   * recorded; Spark then takes `min`, and so does streamlab.
   */
  conf?: Record<string, string>;
}

/** Spark's mark for a source without an offset yet, one line of offsets/N. */
const VOID_OFFSET = '-';

/** What `commits/<batchId>` records after the sink finished: Spark's CommitMetadata. */
export interface CommitEntry {
  nextBatchWatermarkMs: number;
}

export const VERSION = 'v1';

/**
 * A checkpoint file that cannot be read as what it should be. Entries are written atomically, so a crash never leaves
 * one half-written: a damaged file was edited, truncated by a full disk or copied badly. The message names the file
 * and what is wrong, and says what to do, instead of a bare JSON parser message.
 */
export function damagedFile(path: string, problem: string, dir: string): RuntimeError {
  return new RuntimeError(
    `checkpoint file ${path} is damaged: ${problem}. streamlab writes it atomically, so it was changed or truncated after it ` +
      `was written. Restore it from a backup, or delete ${dir} to start the query from scratch (its sink may then receive ` +
      'data it already has).',
  );
}

export function formatOffsetEntry(entry: OffsetEntry): string {
  const header = JSON.stringify({
    batchWatermarkMs: entry.batchWatermarkMs,
    batchTimestampMs: entry.batchTimestampMs,
    lateEventsWatermarkMs: entry.lateEventsWatermarkMs,
    ...(entry.conf ? { conf: entry.conf } : {}),
  });
  const offsets = entry.offsets.map((o) => (o === null ? VOID_OFFSET : JSON.stringify(o)));
  return `${[VERSION, header, ...offsets].join('\n')}\n`;
}

export function formatCommitEntry(entry: CommitEntry): string {
  return `${VERSION}\n${JSON.stringify(entry)}\n`;
}

/** `v1`, a header with the watermark and the batch time, then one line per source: exactly `sourceCount` of them. */
export function parseOffsetEntry(text: string, batchId: number, sourceCount: number, path: string, dir: string): OffsetEntry {
  const [version, header, ...offsetLines] = entryLines(text, path, dir);
  const fields = parseJson(header, 'line 2', path, dir) as Record<string, unknown>;
  for (const key of ['batchWatermarkMs', 'batchTimestampMs']) {
    if (typeof fields?.[key] !== 'number') throw damagedFile(path, `line 2 has no number '${key}' (found ${header})`, dir);
  }
  if (offsetLines.length === 0) throw damagedFile(path, 'it holds 0 source offsets (lines 3 and after)', dir);
  if (offsetLines.length !== sourceCount) {
    throw new RuntimeError(
      `checkpoint file ${path} holds ${offsetLines.length} source offset${offsetLines.length === 1 ? '' : 's'} (lines 3 and after), ` +
        `the query now reads ${sourceCount} source${sourceCount === 1 ? '' : 's'}: there are ${offsetLines.length} sources in the ` +
        `checkpoint offsets and now there are ${sourceCount} sources requested by the query, so it cannot continue (Spark refuses ` +
        `this too). Put the sources (and union branches) back as they were, or delete ${dir} to start the query from scratch.`,
    );
  }
  const late = fields.lateEventsWatermarkMs;
  if (late !== undefined && typeof late !== 'number')
    throw damagedFile(path, `line 2 has a 'lateEventsWatermarkMs' that is not a number (found ${header})`, dir);
  const conf = fields.conf;
  if (conf !== undefined && (conf === null || typeof conf !== 'object' || Array.isArray(conf)))
    throw damagedFile(path, `line 2 has a 'conf' that is not an object (found ${header})`, dir);
  checkVersion(version, path, dir);
  return {
    batchId,
    batchWatermarkMs: fields.batchWatermarkMs as number,
    batchTimestampMs: fields.batchTimestampMs as number,
    lateEventsWatermarkMs: late ?? (fields.batchWatermarkMs as number),
    offsets: offsetLines.map((line, i) => (line === VOID_OFFSET ? null : (parseJson(line, `line ${i + 3}`, path, dir) as Offset))),
    ...(conf ? { conf: conf as Record<string, string> } : {}),
  };
}

export function parseCommitEntry(text: string, path: string, dir: string): CommitEntry {
  const [version, body] = entryLines(text, path, dir);
  checkVersion(version, path, dir);
  const fields = parseJson(body, 'line 2', path, dir) as Record<string, unknown>;
  if (typeof fields?.nextBatchWatermarkMs !== 'number') {
    throw damagedFile(path, `line 2 has no number 'nextBatchWatermarkMs' (found ${body})`, dir);
  }
  return { nextBatchWatermarkMs: fields.nextBatchWatermarkMs };
}

/** JSON.parse with the file and the place in it named when it fails. */
export function parseJson(text: string, where: string, path: string, dir: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const shown = text.length > 80 ? `${text.slice(0, 80)}...` : text;
    throw damagedFile(path, `${where} is not valid JSON (${(error as Error).message}; found ${JSON.stringify(shown)})`, dir);
  }
}

function entryLines(text: string, path: string, dir: string): string[] {
  if (!text.endsWith('\n')) throw damagedFile(path, `it is truncated (${text.length} bytes, no final newline)`, dir);
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines.length < 2) throw damagedFile(path, `it is incomplete (${lines.length} of at least 2 lines)`, dir);
  return lines;
}

function checkVersion(version: string, path: string, dir: string): void {
  if (version === VERSION) return;
  if (/^v\d+$/.test(version)) {
    throw new RuntimeError(
      `checkpoint file ${path} has version '${version}', this streamlab reads '${VERSION}': run it with the streamlab that wrote it`,
    );
  }
  throw damagedFile(path, `line 1 should be '${VERSION}', found ${JSON.stringify(version.slice(0, 40))}`, dir);
}
