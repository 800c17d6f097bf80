import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { defineSink } from '../../component/definition.js';
import { writeFileAtomic } from '../../core/durable-file.js';
import type { Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Sink, SinkContext } from '../../core/sink.js';
import { failOnBadRecord, type BadRecordHandler } from '../../core/bad-records.js';
import { toCsv, toJsonLines } from './serialize.js';

const options = z.strictObject({
  path: z.string().min(1).describe('Output directory; created if missing.'),
  format: z.enum(['jsonl', 'csv']).default('jsonl').describe('jsonl: one JSON object per line; csv: RFC 4180.'),
  header: z.boolean().default(false).describe('csv: write the column names as the first line of each file (Spark: header, default false).'),
});

/**
 * Writes each batch to its own file, `part-<batchId>.<format>` (batchId zero-padded so names sort in batch order),
 * through a temp file and a rename: a replayed batch overwrites its own file, so the directory holds every row once.
 * Empty batches write no file.
 */
export class FileSink implements Sink {
  readonly description: string;
  private badRecords: BadRecordHandler = failOnBadRecord;

  constructor(
    private readonly path: string,
    private readonly format: 'jsonl' | 'csv',
    private readonly header: boolean,
    private readonly schema: Schema,
  ) {
    this.description = `FileSink[${path}, format=${format}]`;
  }

  async open(context?: SinkContext) {
    this.badRecords = context?.badRecords ?? failOnBadRecord;
    await mkdir(this.path, { recursive: true });
  }

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    if (rows.length === 0) return;
    const body =
      this.format === 'jsonl'
        ? toJsonLines(rows, (r, column, value) => this.unfit(rows, r, column, value, batchId))
        : toCsv(rows, this.schema, this.header);
    if (body === '') return; // every row was a bad record
    await writeFileAtomic(join(this.path, `part-${String(batchId).padStart(8, '0')}.${this.format}`), body);
  }

  async close() {}

  /** JSON has no NaN or infinity: the row goes to onBadRecord rather than being written with a null. */
  private unfit(rows: Row[], r: number, column: string, value: number, batchId: number): void {
    this.badRecords.report({
      raw: rows[r],
      reason: `column '${column}': ${value} has no JSON value (JSON Lines would turn it into null)`,
      where: `file sink: batch ${batchId}, row ${r + 1}`,
      position: { row: r },
    });
  }
}

export const fileSink = defineSink({
  type: 'file',
  summary: 'One JSON Lines or CSV file per batch, named by batchId, so replays overwrite instead of duplicating.',
  options,
  examples: [{ path: 'output/rate-even' }, { path: 'output/people', format: 'csv', header: true }],
  create: (o, context) => new FileSink(o.path, o.format, o.header, context.input),
});
