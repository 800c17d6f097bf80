import { join } from 'node:path';
import { ensureDirectory, removeFile, writeFileAtomic } from './durable-file.js';
import { RuntimeError } from './errors.js';
import type { Offset, Row, Value } from './row.js';

/**
 * What a query does with a record that cannot be read (a source parsing a line) or written (a sink meeting a value
 * its store cannot hold). Spark's file sources call this `mode` (FAILFAST, DROPMALFORMED, PERMISSIVE); Databricks
 * adds `badRecordsPath` for the dead letters. `fail` is the default: nothing is lost without the user asking for it.
 */
export const badRecordPolicies = ['fail', 'skip', 'deadLetter'] as const;
export type BadRecordPolicy = (typeof badRecordPolicies)[number];

/** One record a source could not read or a sink could not write. */
export interface BadRecord {
  /** The input as it came: a line's (or CSV record's) text for sources, the row for sinks. */
  raw: string | Row;
  /** What is wrong, naming the column when one is at fault. */
  reason: string;
  /** Where, for people: `data/in.csv:7` or `batch 4, row 17`. Starts the message in `fail` mode. */
  where: string;
  /** Where, for programs: `{ file, line }` for files, `{ offset }` for other sources, `{ row }` (0-based) for sinks. */
  position: { [key: string]: Offset };
}

/** What sources (SourceContext) and sinks (SinkContext) call instead of throwing on a bad record. */
export interface BadRecordHandler {
  readonly policy: BadRecordPolicy;
  /**
   * `fail`: throws a RuntimeError that names where and what. `skip` and `deadLetter`: counts it (and keeps it for the
   * dead-letter file); the caller then leaves the record out of what it returns or writes.
   */
  report(record: BadRecord): void;
}

/** For sources and sinks used without a query (tests, the API): every bad record fails, as before the policy existed. */
export const failOnBadRecord: BadRecordHandler = {
  policy: 'fail',
  report(record) {
    throw new RuntimeError(`${record.where}: ${record.reason}`);
  },
};

type Stage = 'source' | 'sink';

/** A dead letter as written, one JSON object a line. */
interface DeadLetter {
  batchId: number;
  stage: Stage;
  component: string;
  position: { [key: string]: Offset };
  reason: string;
  raw: unknown;
}

/**
 * The query's bad-record bookkeeping: one per query, handed to the source and the sink as a handler each.
 *
 * Dead letters of batch N go to `<dir>/<N>.jsonl`, written atomically before commits/N (see StreamingQuery): a
 * replayed batch rewrites the same file with the same letters instead of appending them twice, and a batch that has
 * none removes a file an earlier, crashed attempt may have left.
 */
export class BadRecords {
  private batchId = -1;
  private letters: DeadLetter[] = [];
  private readonly counts: Record<Stage, number> = { source: 0, sink: 0 };

  constructor(
    readonly policy: BadRecordPolicy,
    /** Directory of the dead-letter files (default: `<checkpoint>/deadLetters`). */
    readonly deadLetterDir: string,
  ) {}

  /** The handler a source or a sink gets; `component` is its description, kept in each dead letter. */
  handler(stage: Stage, component: string): BadRecordHandler {
    return { policy: this.policy, report: (record) => this.report(stage, component, record) };
  }

  /** Called by the engine before a batch reads its rows: counts and letters start again. */
  beginBatch(batchId: number): void {
    this.batchId = batchId;
    this.letters = [];
    this.counts.source = 0;
    this.counts.sink = 0;
  }

  /** Spark-style counters of this batch for the progress object (`numBadRecords`). */
  metrics(stage: Stage): Record<string, number> {
    return this.policy === 'fail' ? {} : { numBadRecords: this.counts[stage] };
  }

  /** The sink's part of progress: Spark leaves SinkProgress.metrics out when it is empty. */
  sinkProgress(): { metrics?: Record<string, number> } {
    return this.policy === 'fail' ? {} : { metrics: this.metrics('sink') };
  }

  /** Writes this batch's dead letters (deadLetter policy); must run before the batch commits. */
  async finishBatch(): Promise<void> {
    if (this.policy !== 'deadLetter') return;
    const file = this.fileOf(this.batchId);
    if (this.letters.length === 0) {
      await removeFile(file);
      return;
    }
    await ensureDirectory(this.deadLetterDir);
    await writeFileAtomic(file, this.letters.map((l) => `${JSON.stringify(l, jsonSafe)}\n`).join(''));
  }

  fileOf(batchId: number): string {
    return join(this.deadLetterDir, `${batchId}.jsonl`);
  }

  private report(stage: Stage, component: string, record: BadRecord): void {
    if (this.policy === 'fail') {
      throw new RuntimeError(
        `${record.where}: ${record.reason}. The batch failed (onBadRecord: fail); set onBadRecord to skip or deadLetter to go on without such records.`,
      );
    }
    this.counts[stage]++;
    if (this.policy === 'deadLetter') {
      this.letters.push({ batchId: this.batchId, stage, component, position: record.position, reason: record.reason, raw: record.raw });
    }
  }
}

/**
 * JSON for values JSON has no form for: a bigint as its digits, NaN and the infinities as the text `NaN`,
 * `Infinity`, `-Infinity` (JSON.stringify would write null, hiding the very value that made the row bad). Dates are
 * ISO 8601 already (toJSON); an invalid Date becomes `Invalid Date`.
 */
function jsonSafe(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, Value>)[key];
  if (original instanceof Date) return Number.isNaN(original.getTime()) ? 'Invalid Date' : value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
