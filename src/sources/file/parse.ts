import type { ParseModeOptions } from '../../component/parse-mode.js';
import type { BadRecordHandler } from '../../core/bad-records.js';
import { RuntimeError } from '../../core/errors.js';
import type { ColumnType, Schema } from '../../core/schema.js';
import { coerceCell } from '../../component/coerce.js';
import { parseCsv } from './csv.js';
import type { RecordTarget } from './record-target.js';

export type FileFormat = 'json' | 'csv';

/** Where a record is in its file: `{ file, line }` (JSON Lines, CSV) or `{ file, element }` (a JSON array file). */
type Position = { file: string; line: number } | { file: string; element: number };

/**
 * Parses one file's text into records of `schema`, put into `target` (rows or columns, record-target.ts). A record that
 * cannot be read (not JSON, a malformed CSV line, a value not of its column's type) goes to `badRecords` with its text,
 * its file and line, and the column at fault; the handler throws (onBadRecord: fail) or the record is left out.
 */
export function parseFile(
  text: string,
  file: string,
  format: FileFormat,
  schema: Schema,
  header: boolean,
  badRecords: BadRecordHandler,
  target: RecordTarget,
  parseMode?: ParseModeOptions,
  /** Counts the records a parse mode nulled (PERMISSIVE) or dropped (DROPMALFORMED), for progress `malformedRows`. */
  counts: { malformed: number } = { malformed: 0 },
): void {
  const reader = new RecordReader(file, schema, badRecords, target, parseMode, counts);
  if (format === 'json') reader.json(text);
  else reader.csv(text, header);
}

class RecordReader {
  /** The target's column of columnNameOfCorruptRecord (after the schema's), or -1. */
  private readonly corrupt: number;

  constructor(
    private readonly file: string,
    private readonly schema: Schema,
    private readonly badRecords: BadRecordHandler,
    private readonly target: RecordTarget,
    /** Spark's mode and columnNameOfCorruptRecord; absent (the API, older callers): every malformed record goes to badRecords. */
    private readonly parseMode?: ParseModeOptions,
    private readonly counts: { malformed: number } = { malformed: 0 },
  ) {
    this.corrupt = parseMode?.columnNameOfCorruptRecord ? schema.length : -1;
  }

  /** JSON Lines (one object per line, Spark's default) or, when the file starts with `[`, one JSON array of objects. */
  json(text: string): void {
    if (text.trimStart().startsWith('[')) {
      this.jsonArray(text);
      return;
    }
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const raw = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
      if (blank(raw)) continue;
      const position = { file: this.file, line: i + 1 };
      let record: unknown;
      try {
        record = JSON.parse(raw);
      } catch (error) {
        this.malformed(raw, position, `not valid JSON: ${(error as Error).message}`);
        continue;
      }
      this.add(record, raw, position);
    }
  }

  private jsonArray(text: string): void {
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch (error) {
      // The whole file is one record: nothing of it can be read.
      this.malformed(text, { file: this.file, line: 1 }, `not valid JSON (the whole file, a JSON array): ${(error as Error).message}`);
      return;
    }
    for (const [i, item] of (items as unknown[]).entries()) this.add(item, JSON.stringify(item), { file: this.file, element: i });
  }

  /** With a header, fields match the schema by name; without one, by position (as Spark with a user schema). */
  csv(text: string, header: boolean): void {
    let names: string[] | undefined = header ? undefined : this.schema.map((c) => c.name);
    /** For each schema column, the index of its field (the last of that name in the header), or -1. */
    let fieldOf = names && this.fieldIndexes(names);
    for (const record of parseCsv(text)) {
      const position = { file: this.file, line: record.line };
      if ('error' in record) {
        this.malformed(record.raw, position, record.error);
        continue;
      }
      if (!names || !fieldOf) {
        names = record.fields.map((f) => (f ?? '').trim());
        const missing = this.schema.filter((c) => !names!.includes(c.name)).map((c) => c.name);
        if (missing.length > 0) {
          this.bad(record.raw, position, `the header lacks column(s) ${missing.join(', ')} of the schema; no line of this file was read`);
          return;
        }
        fieldOf = this.fieldIndexes(names);
        continue;
      }
      const { fields } = record;
      const headerNames = names;
      const at = fieldOf;
      // A short record: the last field of that name that it has (Spark keeps the fields there).
      const index = (c: number) =>
        at[c] < fields.length ? at[c] : fields.length === 0 ? -1 : headerNames.lastIndexOf(this.schema[c].name, fields.length - 1);
      const error = this.convert((c) => {
        const i = index(c);
        return i >= 0 ? fields[i] : null;
      });
      if (fields.length !== names.length) {
        // Spark's CSV parser: the fields there are kept (PERMISSIVE), the record is malformed all the same.
        const why = `${fields.length} fields, expected ${names.length} (${names.join(', ')})`;
        this.malformed(record.raw, position, why);
        continue;
      }
      this.keepOrReport(error, record.raw, position);
    }
  }

  private fieldIndexes(names: string[]): number[] {
    return this.schema.map((c) => names.lastIndexOf(c.name));
  }

  /** Converts one JSON record to the schema's columns and keeps it, or reports it naming the first column at fault. */
  private add(record: unknown, raw: string, position: Position): void {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      this.malformed(raw, position, `expected a JSON object per row, found ${JSON.stringify(record)}`);
      return;
    }
    const object = record as Record<string, unknown>;
    const error = this.convert((c) => {
      const name = this.schema[c].name;
      return Object.hasOwn(object, name) ? object[name] : null;
    });
    this.keepOrReport(error, raw, position);
  }

  private keepOrReport(error: string | undefined, raw: string, position: Position): void {
    if (error === undefined) this.target.keep();
    else this.malformed(raw, position, error);
  }

  /**
   * Sets the record's cells in the target as the schema's types (the field of column c is `field(c)`); a value that
   * does not convert is null, and the first such is named in the error returned.
   */
  private convert(field: (column: number) => unknown): string | undefined {
    let error: string | undefined;
    for (let c = 0; c < this.schema.length; c++) {
      const column = this.schema[c];
      const found = field(c);
      const plain = plainCell(found, column.type);
      if (plain !== undefined) {
        this.target.set(c, plain);
        continue;
      }
      const result = coerceCell(found, column.type);
      if ('error' in result) error ??= `column '${column.name}': ${result.error}, found ${JSON.stringify(found)}`;
      else this.target.set(c, result.value);
    }
    return error;
  }

  /**
   * A record with something wrong, after Spark's FailureSafeParser: FAILFAST stops; PERMISSIVE keeps what converted
   * (the rest null) with the raw text in the corrupt-record column; DROPMALFORMED leaves it out. Without a parse mode
   * (older callers) it goes to the bad-record handler as before. PERMISSIVE and DROPMALFORMED also tell the handler
   * unless its policy is `fail` (the parse mode has already decided: nothing fails), so deadLetter keeps the raw text.
   */
  private malformed(raw: string, position: Position, reason: string): void {
    const mode = this.parseMode;
    if (!mode) {
      this.target.drop();
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
    if (mode.mode === 'DROPMALFORMED') {
      this.target.drop();
      return;
    }
    // PERMISSIVE: the cells that converted are set already, the others null.
    if (this.corrupt >= 0) this.target.set(this.corrupt, raw);
    this.target.keep();
  }

  private bad(raw: string, position: Position, reason: string): void {
    this.badRecords.report({ raw, reason, where: where(position), position });
  }
}

function where(position: Position): string {
  return 'line' in position ? `${position.file}:${position.line}` : `${position.file}: element ${position.element}`;
}

/** Only whitespace (or nothing); trim() is asked only when the line starts with a space or a non-ASCII character. */
function blank(line: string): boolean {
  const first = line.charCodeAt(0);
  return line.length === 0 || ((first <= 32 || first >= 128) && line.trim() === '');
}

/**
 * coerce's value for the commonest cells, without its result object: a string in a string column, a number in a double
 * column, a whole number in a long column. undefined: ask coerceCell.
 */
function plainCell(raw: unknown, type: ColumnType): string | number | undefined {
  if (typeof raw === 'string') return type === 'string' ? raw : undefined;
  if (typeof raw !== 'number') return undefined;
  return type === 'double' || (type === 'long' && Number.isSafeInteger(raw)) ? raw : undefined;
}
