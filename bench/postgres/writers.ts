/**
 * The ways of writing rows to PostgreSQL that bench/postgres.ts measures against each other, each one transaction
 * per batch into a table with a primary key on id, on the same rows: { id: long, ts: timestamp, sensor: string,
 * reading: double }. Each writer encodes the rows itself, as plainly as it can (no escaping: the values need none).
 *
 * - COPY text:     `COPY t FROM STDIN`, text format, streamed through pg-copy-streams in ~64 KiB chunks (the baseline).
 * - COPY binary:   `COPY t FROM STDIN (FORMAT binary)`, the same stream with PostgreSQL's binary tuple format.
 * - INSERT rows:   multi-row `INSERT ... VALUES ($1, $2, ...), (...)`, 1,000 rows (4,000 parameters) a statement.
 * - INSERT unnest: one `INSERT ... SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::float8[])`.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Row } from '../../src/core/row.js';

export type Writer = (client: pg.Client, table: string, rows: Row[]) => Promise<void>;

const COLUMNS = '(id, ts, sensor, reading)';

function* textChunks(rows: Row[]): Generator<string> {
  let chunk = '';
  for (const r of rows) {
    chunk += `${r.id}\t${(r.ts as Date).toISOString()}\t${r.sensor}\t${r.reading}\n`;
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** Microseconds from 2000-01-01 UTC, PostgreSQL's binary timestamp. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

function* binaryChunks(rows: Row[]): Generator<Buffer> {
  const header = Buffer.alloc(19);
  header.write('PGCOPY\n\xff\r\n\0', 0, 'latin1');
  yield header; // flags and header-extension length are 0
  const size = 1 << 16;
  let buffer = Buffer.allocUnsafe(size);
  let at = 0;
  for (const r of rows) {
    const sensor = Buffer.from(r.sensor as string);
    const need = 2 + 4 + 8 + 4 + 8 + 4 + sensor.length + 4 + 8;
    if (at + need > size) {
      yield buffer.subarray(0, at);
      buffer = Buffer.allocUnsafe(size);
      at = 0;
    }
    at = buffer.writeInt16BE(4, at);
    at = buffer.writeInt32BE(8, at);
    at = buffer.writeBigInt64BE(BigInt(r.id as number), at);
    at = buffer.writeInt32BE(8, at);
    at = buffer.writeBigInt64BE(BigInt(((r.ts as Date).getTime() - PG_EPOCH_MS) * 1000), at);
    at = buffer.writeInt32BE(sensor.length, at);
    at += sensor.copy(buffer, at);
    at = buffer.writeInt32BE(8, at);
    at = buffer.writeDoubleBE(r.reading as number, at);
  }
  buffer.writeInt16BE(-1, at);
  yield buffer.subarray(0, at + 2);
}

async function inTransaction(client: pg.Client, work: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export const copyText: Writer = (client, table, rows) =>
  pipeline(Readable.from(textChunks(rows)), client.query(copyFrom(`COPY ${table} ${COLUMNS} FROM STDIN`)));

export const copyBinary: Writer = (client, table, rows) =>
  pipeline(Readable.from(binaryChunks(rows)), client.query(copyFrom(`COPY ${table} ${COLUMNS} FROM STDIN (FORMAT binary)`)));

const ROWS_PER_INSERT = 1000;

export const insertRows: Writer = (client, table, rows) =>
  inTransaction(client, async () => {
    for (let from = 0; from < rows.length; from += ROWS_PER_INSERT) {
      const part = rows.slice(from, from + ROWS_PER_INSERT);
      const values: unknown[] = [];
      const tuples = part.map((r, i) => {
        values.push(r.id, r.ts, r.sensor, r.reading);
        return `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`;
      });
      await client.query(`INSERT INTO ${table} ${COLUMNS} VALUES ${tuples.join(', ')}`, values);
    }
  });

export const insertUnnest: Writer = (client, table, rows) =>
  client
    .query(`INSERT INTO ${table} ${COLUMNS} SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::float8[])`, [
      rows.map((r) => r.id),
      rows.map((r) => (r.ts as Date).toISOString()),
      rows.map((r) => r.sensor),
      rows.map((r) => r.reading),
    ])
    .then(() => undefined);

export const ALTERNATIVES: Array<{ name: string; write: Writer }> = [
  { name: 'COPY binary', write: copyBinary },
  { name: 'INSERT rows', write: insertRows },
  { name: 'INSERT unnest', write: insertUnnest },
];
