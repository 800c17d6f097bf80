import type { ParseModeOptions } from '../../component/parse-mode.js';
import type { BadRecordHandler } from '../../core/bad-records.js';
import { RuntimeError } from '../../core/errors.js';
import type { Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import { coerce } from '../../component/coerce.js';
import { parseCsv } from './csv.js';

export type FileFormat = 'json' | 'csv';

/** Where a record is in its file: `{ file, line }` (JSON Lines, CSV) or `{ file, element }` (a JSON array file). */
type Position = { file: string; line: number } | { file: string; element: number };

/**
 * Parses one file's text into rows of `schema`. A record that cannot be read (not JSON, a malformed CSV line, a value
 * not of its column's type) goes to `badRecords` with its text, its file and line, and the column at fault; the
 * handler throws (onBadRecord: fail) or the record is left out.
 */
export function parseFile(
  text: string,
  file: string,
  format: FileFormat,
  schema: Schema,
  header: boolean,
  badRecords: BadRecordHandler,
  parseMode?: ParseModeOptions,
  /** Counts the records a parse mode nulled (PERMISSIVE) or dropped (DROPMALFORMED), for progress `malformedRows`. */
  counts: { malformed: number } = { malformed: 0 },
): Row[] {
  const reader = new RecordReader(file, schema, badRecords, parseMode, counts);
  return format === 'json' ? reader.json(text) : reader.csv(text, header);
}

class RecordReader {
  readonly rows: Row[] = [];

  constructor(
    private readonly file: string,
    private readonly schema: Schema,
    private readonly badRecords: BadRecordHandler,
    /** Spark's mode and columnNameOfCorruptRecord; absent (the API, older callers): every malformed record goes to badRecords. */
    private readonly parseMode?: ParseModeOptions,
    private readonly counts: { malformed: number } = { malformed: 0 },
  ) {}

  /** JSON Lines (one object per line, Spark's default) or, when the file starts with `[`, one JSON array of objects. */
  json(text: string): Row[] {
    if (text.trimStart().startsWith('[')) return this.jsonArray(text);
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i].replace(/\r$/, '');
      if (raw.trim() === '') continue;
      const position = { file: this.file, line: i + 1 };
      let record: unknown;
      try {
        record = JSON.parse(raw);
      } catch (error) {
        this.malformed(raw, position, `not valid JSON: ${(error as Error).message}`, {});
        continue;
      }
      this.add(record, raw, position);
    }
    return this.rows;
  }

  private jsonArray(text: string): Row[] {
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch (error) {
      // The whole file is one record: nothing of it can be read.
      this.malformed(text, { file: this.file, line: 1 }, `not valid JSON (the whole file, a JSON array): ${(error as Error).message}`, {});
      return this.rows;
    }
    for (const [i, item] of (items as unknown[]).entries()) this.add(item, JSON.stringify(item), { file: this.file, element: i });
    return this.rows;
  }

  /** With a header, fields match the schema by name; without one, by position (as Spark with a user schema). */
  csv(text: string, header: boolean): Row[] {
    let names: string[] | undefined = header ? undefined : this.schema.map((c) => c.name);
    for (const record of parseCsv(text)) {
      const position = { file: this.file, line: record.line };
      if ('error' in record) {
        this.malformed(record.raw, position, record.error, {});
        continue;
      }
      if (!names) {
        names = record.fields.map((f) => (f ?? '').trim());
        const missing = this.schema.filter((c) => !names!.includes(c.name)).map((c) => c.name);
        if (missing.length > 0) {
          this.bad(record.raw, position, `the header lacks column(s) ${missing.join(', ')} of the schema; no line of this file was read`);
          return this.rows;
        }
        continue;
      }
      const values: Record<string, unknown> = {};
      for (const [i, name] of names.entries()) if (i < record.fields.length) values[name] = record.fields[i];
      if (record.fields.length !== names.length) {
        // Spark's CSV parser: the fields there are kept (PERMISSIVE), the record is malformed all the same.
        const why = `${record.fields.length} fields, expected ${names.length} (${names.join(', ')})`;
        this.malformed(record.raw, position, why, this.convert(values).values);
        continue;
      }
      this.add(values, record.raw, position);
    }
    return this.rows;
  }

  /** Converts one record to a row of the schema and keeps it, or reports it naming the first column at fault. */
  private add(record: unknown, raw: string, position: Position): void {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      this.malformed(raw, position, `expected a JSON object per row, found ${JSON.stringify(record)}`, {});
      return;
    }
    const { values, error } = this.convert(record as Record<string, unknown>);
    if (error === undefined) {
      if (this.parseMode?.columnNameOfCorruptRecord) values[this.parseMode.columnNameOfCorruptRecord] = null;
      this.rows.push(values);
    } else this.malformed(raw, position, error, values);
  }

  /** The record's values as the schema's types; a value that does not convert is null, and the first such is named. */
  private convert(record: Record<string, unknown>): { values: Row; error?: string } {
    const values: Row = {};
    let error: string | undefined;
    for (const column of this.schema) {
      const found = Object.hasOwn(record, column.name) ? record[column.name] : null;
      const result = coerce(found, column.type);
      if ('error' in result) error ??= `column '${column.name}': ${result.error}, found ${JSON.stringify(found)}`;
      values[column.name] = 'error' in result ? null : result.value;
    }
    return { values, error };
  }

  /**
   * A record with something wrong, after Spark's FailureSafeParser: FAILFAST stops; PERMISSIVE keeps what converted
   * (the rest null) with the raw text in the corrupt-record column; DROPMALFORMED leaves it out. Without a parse mode
   * (older callers) it goes to the bad-record handler as before. PERMISSIVE and DROPMALFORMED also tell the handler
   * unless its policy is `fail` (the parse mode has already decided: nothing fails), so deadLetter keeps the raw text.
   */
  private malformed(raw: string, position: Position, reason: string, partial: Row): void {
    const mode = this.parseMode;
    if (!mode) {
      this.bad(raw, position, reason);
      return;
    }
    if (mode.mode === 'FAILFAST') {
      throw new RuntimeError(
        `${where(position)}: ${reason}. Parse mode FAILFAST stops the query (as Spark: MALFORMED_RECORD_IN_PARSING); mode PERMISSIVE (the default) keeps such records with null fields, DROPMALFORMED leaves them out.`,
      );
    }
    if (this.badRecords.policy !== 'fail') this.bad(raw, position, reason);
    this.counts.malformed++;
    if (mode.mode === 'DROPMALFORMED') return;
    const row: Row = {};
    for (const column of this.schema) row[column.name] = partial[column.name] ?? null;
    if (mode.columnNameOfCorruptRecord) row[mode.columnNameOfCorruptRecord] = raw;
    this.rows.push(row);
  }

  private bad(raw: string, position: Position, reason: string): void {
    this.badRecords.report({ raw, reason, where: where(position), position });
  }
}

function where(position: Position): string {
  return 'line' in position ? `${position.file}:${position.line}` : `${position.file}: element ${position.element}`;
}
