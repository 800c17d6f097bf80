/**
 * The PostgreSQL baseline: a bare `COPY ... FROM STDIN` of each batch in the text format, through pg-copy-streams,
 * autocommit (one transaction per batch, as the sink commits one per batch), with no commit table and no check of
 * the values: the server's fastest load path with the least client code. As bench/postgres.ts, on the same rows into
 * a table made like the sink's.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PostgresConnectionOptions } from '../../connectors/postgres/connection-options.js';
import { qualifiedName, quoteIdentifier } from '../../connectors/postgres/identifiers.js';
import { openSession } from '../../connectors/postgres/session.js';
import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Baseline } from '../target.js';

const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeCopyText = (text: string) => text.replace(/[\\\t\n\r]/g, (c) => ESCAPED[c]);

/** One field in COPY's text format: `\N` for null, ISO 8601 UTC for Dates, JSON for nested values. */
function field(value: Value | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeCopyText(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return escapeCopyText(JSON.stringify(value));
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

function* chunks(rows: readonly Row[], schema: Schema): Generator<string> {
  const names = schema.map((c) => c.name);
  let chunk = '';
  for (const row of rows) {
    let line = field(row[names[0]]);
    for (let c = 1; c < names.length; c++) line += `\t${field(row[names[c]])}`;
    chunk += `${line}\n`;
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

export function bareCopyBaseline(options: PostgresConnectionOptions): Baseline {
  return {
    name: 'bare COPY FROM STDIN (text)',
    async write(batches, destination, spec) {
      const table = qualifiedName({ schema: 'public', name: String(destination.sinkOptions.table) });
      const sql = `COPY ${table} (${spec.schema.map((c) => quoteIdentifier(c.name)).join(', ')}) FROM STDIN`;
      const client = await openSession(options, () => undefined);
      try {
        for (const rows of batches) {
          if (rows.length > 0) await pipeline(Readable.from(chunks(rows, spec.schema)), client.query(copyFrom(sql)));
        }
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}
