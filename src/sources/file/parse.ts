import type { Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import { RuntimeError } from '../../core/errors.js';
import { coerce } from './coerce.js';
import { parseCsv } from './csv.js';

export type FileFormat = 'json' | 'csv';

/** Parses one file's text into rows of `schema`; any bad value stops with its file, line and column. */
export function parseFile(text: string, file: string, format: FileFormat, schema: Schema, header: boolean): Row[] {
  return format === 'json' ? parseJson(text, file, schema) : parseCsvRows(text, file, schema, header);
}

function toRow(record: Record<string, unknown>, schema: Schema, where: string): Row {
  const row: Row = {};
  for (const column of schema) {
    const result = coerce(Object.hasOwn(record, column.name) ? record[column.name] : null, column.type);
    if ('error' in result) {
      throw new RuntimeError(`${where}: column '${column.name}': ${result.error}, found ${JSON.stringify(record[column.name])}`);
    }
    row[column.name] = result.value;
  }
  return row;
}

/** JSON Lines (one object per line, Spark's default) or, when the file starts with `[`, one JSON array of objects. */
function parseJson(text: string, file: string, schema: Schema): Row[] {
  if (text.trimStart().startsWith('[')) {
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch (error) {
      throw new RuntimeError(`${file}: not valid JSON: ${(error as Error).message}`);
    }
    return (items as unknown[]).map((item, i) => toRow(asObject(item, `${file}: element ${i}`), schema, `${file}: element ${i}`));
  }
  const rows: Row[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const where = `${file}:${i + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new RuntimeError(`${where}: not valid JSON: ${(error as Error).message}`);
    }
    rows.push(toRow(asObject(record, where), schema, where));
  }
  return rows;
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RuntimeError(`${where}: expected a JSON object per row, found ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

/** With a header, fields match the schema by name; without one, by position (as Spark with a user schema). */
function parseCsvRows(text: string, file: string, schema: Schema, header: boolean): Row[] {
  const rows: Row[] = [];
  let names: string[] | undefined = header ? undefined : schema.map((c) => c.name);
  for (const { fields, line } of parseCsv(text)) {
    if (!names) {
      names = fields.map((f) => f.trim());
      const missing = schema.filter((c) => !names!.includes(c.name)).map((c) => c.name);
      if (missing.length > 0) throw new RuntimeError(`${file}:${line}: header lacks column(s) ${missing.join(', ')} of the schema`);
      continue;
    }
    const record: Record<string, unknown> = {};
    names.forEach((name, i) => {
      record[name] = fields[i];
    });
    rows.push(toRow(record, schema, `${file}:${line}`));
  }
  return rows;
}
