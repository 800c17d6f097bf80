import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { defineSource } from '../../component/definition.js';
import { schemaOption } from '../../component/options.js';
import { failOnBadRecord, type BadRecordHandler } from '../../core/bad-records.js';
import { RuntimeError } from '../../core/errors.js';
import type { Offset, Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Backlog, Source, SourceContext } from '../../core/source.js';
import { parseFile, type FileFormat } from './parse.js';

const options = z.strictObject({
  path: z
    .string()
    .min(1)
    .describe(
      'Directory to watch (or a single file). Files are taken in name order; names starting with `.` or `_` are ignored (temp files).',
    ),
  format: z
    .enum(['json', 'csv'])
    .default('json')
    .describe('json: JSON Lines, or one JSON array per file when it starts with `[`; csv: RFC 4180.'),
  schema: schemaOption(
    'Columns and their types, in order, e.g. `{ name: string, age: long }`. Required, as Spark requires a schema for streaming file sources.',
  ),
  header: z.boolean().default(false).describe('csv: the first line names the columns (Spark: header, default false: columns by position).'),
  maxFilesPerBatch: z.number().int().positive().optional().describe('At most this many new files per batch (Spark: maxFilesPerTrigger).'),
});

const EXTENSIONS: Record<FileFormat, RegExp> = { json: /\.(json|jsonl|ndjson)$/i, csv: /\.csv$/i };

/**
 * Spark's file source: new files in a directory become rows. The offset is the name of the last file taken; rows of
 * (start, end] are those of the files whose names sort after `start` up to `end`. Files are expected not to change
 * once written (write them elsewhere and rename them in), so a replayed batch reads the same rows: replayable.
 * A file that appears later with a name sorting before the last one taken is never read: name files so they sort
 * in arrival order (e.g. a timestamp prefix).
 */
export class FileSource implements Source {
  readonly replayable = true;
  readonly description: string;
  private availableNowTarget: string | undefined;
  /** availableNow: the files there at the start (names in order), what the backlog counts. */
  private availableNowFiles: string[] = [];
  private dir = '';
  private onlyFile: string | undefined;
  private badRecords: BadRecordHandler = failOnBadRecord;

  constructor(
    private readonly path: string,
    private readonly format: FileFormat,
    readonly schema: Schema,
    private readonly header: boolean,
    private readonly maxFilesPerBatch: number | undefined,
  ) {
    this.description = `FileStreamSource[${path}, format=${format}]`;
  }

  async open(context: SourceContext) {
    this.badRecords = context.badRecords ?? failOnBadRecord;
    const info = await stat(this.path).catch(() => undefined);
    if (!info) throw new RuntimeError(`file source: ${this.path} does not exist (source.path); create the directory or fix the path`);
    if (info.isDirectory()) this.dir = this.path;
    else {
      this.dir = dirname(this.path);
      this.onlyFile = basename(this.path);
    }
  }

  private async listFiles(): Promise<string[]> {
    if (this.onlyFile) return [this.onlyFile];
    const names = await readdir(this.dir);
    return names.filter((n) => !n.startsWith('.') && !n.startsWith('_') && EXTENSIONS[this.format].test(n)).sort();
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNowFiles = await this.listFiles();
    this.availableNowTarget = this.availableNowFiles.at(-1) ?? '';
  }

  /** Files: those of the start's listing whose names sort at or before the last one committed. */
  backlog(committed: Offset | null): Backlog | undefined {
    if (this.availableNowTarget === undefined) return undefined;
    const last = (committed as string | null) ?? '';
    const done = this.availableNowFiles.filter((f) => f <= last).length;
    return { done, total: this.availableNowFiles.length, unit: 'files' };
  }

  async latestOffset(start: Offset | null): Promise<Offset | null> {
    const after = (start as string | null) ?? '';
    const files = await this.listFiles();
    let fresh = files.filter((f) => f > after && (this.availableNowTarget === undefined || f <= this.availableNowTarget));
    if (this.maxFilesPerBatch !== undefined) fresh = fresh.slice(0, this.maxFilesPerBatch);
    return fresh.at(-1) ?? start;
  }

  async getBatch(start: Offset | null, end: Offset): Promise<Row[]> {
    const after = (start as string | null) ?? '';
    const files = (await this.listFiles()).filter((f) => f > after && f <= (end as string));
    const rows: Row[] = [];
    for (const file of files) {
      const path = join(this.dir, file);
      for (const row of parseFile(await readFile(path, 'utf8'), path, this.format, this.schema, this.header, this.badRecords))
        rows.push(row);
    }
    return rows;
  }

  async stop(): Promise<void> {}
}

export const fileSource = defineSource({
  type: 'file',
  summary: 'New JSON Lines / JSON array / CSV files in a directory, in name order (Spark: readStream.json/csv). Replayable.',
  options,
  examples: [
    { path: 'data/people.json', schema: { name: 'string', age: 'long' } },
    {
      path: 'input/events',
      format: 'csv',
      header: true,
      schema: { time: 'timestamp', device: 'string', reading: 'double' },
      maxFilesPerBatch: 10,
    },
  ],
  create: (o) =>
    new FileSource(
      o.path,
      o.format,
      Object.entries(o.schema).map(([name, type]) => ({ name, type })),
      o.header,
      o.maxFilesPerBatch,
    ),
  offsetIdentity: (o) => ({ path: o.path, format: o.format }),
});
