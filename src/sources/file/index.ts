import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { defineSource } from '../../component/definition.js';
import { schemaOption } from '../../component/options.js';
import { parseModeOptions, type ParseModeOptions } from '../../component/parse-mode.js';
import { failOnBadRecord, type BadRecordHandler } from '../../core/bad-records.js';
import type { ColumnBatch } from '../../core/columnar/column-batch.js';
import { ConfigError, RuntimeError } from '../../core/errors.js';
import type { Offset, Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Backlog, Source, SourceContext } from '../../core/source.js';
import { parseFile, type FileFormat } from './parse.js';
import { ColumnTarget, type RecordTarget, RowTarget } from './record-target.js';

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
  ...parseModeOptions,
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
  /** Records of the last batch that its parse mode nulled or dropped (progress metrics.malformedRows). */
  private malformedRows = 0;

  constructor(
    private readonly path: string,
    private readonly format: FileFormat,
    readonly schema: Schema,
    private readonly header: boolean,
    private readonly maxFilesPerBatch: number | undefined,
    /** Spark's parse mode; absent (the API, tests): every malformed record goes to the query's onBadRecord policy. */
    private readonly parseMode?: ParseModeOptions,
  ) {
    this.description = `FileStreamSource[${path}, format=${format}]`;
    const corrupt = parseMode?.columnNameOfCorruptRecord;
    this.fileSchema = corrupt ? schema.filter((c) => c.name !== corrupt) : schema;
  }

  /** The columns read from the files: the schema without the corrupt-record column the parse mode adds. */
  private readonly fileSchema: Schema;

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
    const target = new RowTarget(this.schema);
    await this.read(start, end, target);
    return target.rows;
  }

  /** The same records as columns: numbers, timestamps and booleans typed, repeated strings dictionary-encoded. */
  async getColumns(start: Offset | null, end: Offset): Promise<ColumnBatch> {
    const target = new ColumnTarget(this.schema);
    await this.read(start, end, target);
    return target.finish();
  }

  /** Parses the files of (start, end] into `target`, in name order. */
  private async read(start: Offset | null, end: Offset, target: RecordTarget): Promise<void> {
    const after = (start as string | null) ?? '';
    const files = (await this.listFiles()).filter((f) => f > after && f <= (end as string));
    const counts = { malformed: 0 };
    for (const file of files) {
      const path = join(this.dir, file);
      const text = await readFile(path, 'utf8');
      parseFile(text, path, this.format, this.fileSchema, this.header, this.badRecords, target, this.parseMode, counts);
    }
    this.malformedRows = counts.malformed;
  }

  /**
   * progress `sources[0].metrics.malformedRows`: records of the last batch its parse mode nulled (PERMISSIVE) or
   * dropped. A source built without a parse mode (the API's) sends them all to onBadRecord, counted there instead.
   */
  metrics(): Record<string, number> {
    return this.parseMode ? { malformedRows: this.malformedRows } : {};
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
  create: (o, context) => {
    const schema = Object.entries(o.schema).map(([name, type]) => ({ name, type }));
    const corrupt = o.columnNameOfCorruptRecord;
    if (corrupt && schema.some((c) => c.name === corrupt)) {
      throw ConfigError.single({
        file: context.location.file,
        path: `${context.location.path}.columnNameOfCorruptRecord`,
        message: `'${corrupt}' is also a column of the schema; streamlab adds it as a string column after the schema's`,
      });
    }
    const columns = corrupt ? [...schema, { name: corrupt, type: 'string' as const }] : schema;
    return new FileSource(o.path, o.format, columns, o.header, o.maxFilesPerBatch, {
      mode: o.mode,
      ...(corrupt ? { columnNameOfCorruptRecord: corrupt } : {}),
    });
  },
  offsetIdentity: (o) => ({ path: o.path, format: o.format }),
});
