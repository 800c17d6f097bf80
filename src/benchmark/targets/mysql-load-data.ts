/**
 * The MySQL/MariaDB baseline: LOAD DATA LOCAL INFILE, the server's fastest load path, one statement per batch (each
 * its own autocommit transaction, as the sink commits one per batch), the batch streamed from memory through mysql2's
 * `infileStreamFactory` (no file on disk). As bench/mysql.ts, on the same rows into a table made like the sink's.
 * With LOCAL the server turns bad values and duplicate keys into warnings (it cannot stop the client's stream), so a
 * mistake in this encoding shows up in the read-back (rows lost or garbled), not as an error: seen while testing.
 */
import { Readable } from 'node:stream';
import { quoteIdentifier, qualifiedName } from '../../connectors/mysql/identifiers.js';
import { dateLiteral, jsonText } from '../../connectors/mysql/values.js';
import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Baseline } from '../target.js';
import { connectSql, type SqlServer } from './sql-table.js';

/** LOAD DATA's default text format escapes: backslash, tab, newline (and carriage return, to be safe). */
const escapeText = (text: string): string =>
  text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);

/** One field in LOAD DATA's default format: `\N` for null, DATETIME text in UTC, JSON text for nested values. */
export function tsvField(value: Value | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Date) return dateLiteral(value, '').slice(1, -1);
  if (typeof value === 'string') return escapeText(value);
  return escapeText(jsonText(value));
}

/** The rows as tab-separated lines, in chunks of about 64 KiB. */
export function* tsvChunks(rows: readonly Row[], schema: Schema): Generator<Buffer> {
  const names = schema.map((c) => c.name);
  let chunk = '';
  for (const row of rows) {
    let line = tsvField(row[names[0]]);
    for (let c = 1; c < names.length; c++) line += `\t${tsvField(row[names[c]])}`;
    chunk += `${line}\n`;
    if (chunk.length > 1 << 16) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  if (chunk) yield Buffer.from(chunk);
}

export function loadDataBaseline(server: SqlServer, database: string): Baseline {
  return {
    name: 'LOAD DATA LOCAL INFILE',
    async write(batches, destination, spec) {
      const table = String(destination.sinkOptions.table);
      const sql = `LOAD DATA LOCAL INFILE 'batch.tsv' INTO TABLE ${qualifiedName(database, table)} (${spec.schema.map((c) => quoteIdentifier(c.name)).join(', ')})`;
      const connection = await connectSql(server);
      try {
        for (const rows of batches) {
          if (rows.length === 0) continue;
          await connection.query({ sql, infileStreamFactory: () => Readable.from(tsvChunks(rows, spec.schema)) });
        }
      } finally {
        await connection.end().catch(() => connection.destroy());
      }
    },
  };
}
