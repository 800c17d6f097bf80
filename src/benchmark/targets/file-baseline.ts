/**
 * The file baseline: the same text the file sink writes (CSV in schema order, or JSON Lines), made by a plain loop
 * and written with plain fs calls, one file per batch, fsynced and renamed into place like the sink's files (so a
 * freshness poll never reads half a file). What it leaves out is the sink's own machinery: no fsync of the folder,
 * no bad-record checks.
 */
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Baseline } from '../target.js';

export function fileBaseline(format: 'csv' | 'jsonl', header: boolean): Baseline {
  // write() is called once per batch: number the files per destination folder, so a batch never replaces another.
  const filesWritten = new Map<string, number>();
  return {
    name: `plain fs write of the same ${format === 'csv' ? 'CSV' : 'JSON Lines'} text (fsync + rename per file)`,
    async write(batches, destination, spec) {
      const dir = String(destination.sinkOptions.path);
      let n = filesWritten.get(dir) ?? 0;
      for (const batch of batches) {
        if (batch.length === 0) continue;
        const text = format === 'csv' ? csvText(batch, spec.schema, header) : jsonLines(batch);
        const name = `part-${String(n++).padStart(8, '0')}.${format}`;
        const temp = join(dir, `.${name}.tmp`);
        const handle = await open(temp, 'w');
        try {
          await handle.writeFile(text);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, join(dir, name));
        filesWritten.set(dir, n);
      }
    },
  };
}

/** CSV as the file sink writes it: schema order, ISO 8601 times, "" for the empty string, quotes where needed. */
export function csvText(rows: Row[], schema: Schema, header: boolean): string {
  const names = schema.map((c) => c.name);
  const lines: string[] = header ? [names.map(csvQuote).join(',')] : [];
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < names.length; i++) line += (i ? ',' : '') + csvCell(row[names[i]]);
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

function csvCell(v: Value | undefined): string {
  if (v === null || v === undefined) return '';
  if (v === '') return '""';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return csvQuote(JSON.stringify(v));
  return csvQuote(String(v));
}

const csvQuote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

function jsonLines(rows: Row[]): string {
  const replacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
  let out = '';
  for (const row of rows) out += `${JSON.stringify(row, replacer)}\n`;
  return out;
}
