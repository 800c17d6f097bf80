/**
 * What the mysql and starrocks target tests share: a destination spec shaped like TSBS's (string tags as keys, a
 * time column, a long checksum column) with awkward text (tab, newline, backslash, quotes, non-ASCII) and nulls in a
 * value column; the sink built through the registry as a job builds it; batches written as `--guarantee none` does
 * (open, foreachBatch per batch, close); and whole tables read back in key order.
 *
 * Nothing runs at import: node's test runner may load this file as a test file of its own.
 */
import { randomUUID } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import type { DestinationSpec } from '../../src/benchmark/target.js';
import { findComponent, sinks } from '../../src/registry.js';
import { buildContext } from '../support/conformance/build-context.js';

export const SCHEMA: Schema = [
  { name: 'hostname', type: 'string' },
  { name: 'region', type: 'string' },
  { name: 'ts', type: 'timestamp' },
  { name: 'usage_user', type: 'double' },
  { name: 'note', type: 'string' },
  { name: 'seq', type: 'long' },
];

export const spec = (name: string): DestinationSpec => ({
  name,
  schema: SCHEMA,
  checksumColumn: 'seq',
  keyColumns: ['hostname', 'region'],
  timeColumn: 'ts',
});

const NOTES = ['plain', 'tab\there', 'line\nbreak', 'back\\slash', 'it\'s "quoted"', 'Zürich ☀', null];

/** `count` rows from offset `from`: 10 hosts in 2 regions, one reading per host every 10 s (unique keys). */
export function makeRows(from: number, count: number): Row[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      hostname: `host_${i % 10}`,
      region: `region-${i % 2}`,
      ts: new Date(start + Math.floor(i / 10) * 10_000 + (i % 7)),
      usage_user: Math.round(Math.sin(i) * 1e6) / 1e4,
      note: NOTES[i % NOTES.length],
      seq: i * 7 + 1,
    };
  });
}

export const batchesOf = (rows: Row[], size: number): Row[][] =>
  Array.from({ length: Math.ceil(rows.length / size) }, (_, b) => rows.slice(b * size, (b + 1) * size));

export const checksumOf = (rows: readonly Row[]): number => rows.reduce((sum, r) => sum + Number(r.seq), 0);

/** The sink of `type`, from the registry, with the options a job would give it (validated by its schema). */
export function buildSink(type: string, options: Record<string, unknown>) {
  const definition = findComponent(sinks, type);
  if (!definition) throw new Error(`no sink ${type}`);
  return definition.create(definition.options.parse(options), buildContext(SCHEMA));
}

/** Writes batches as `--guarantee none` does; `replay` writes one batch id a second time (it must not double). */
export async function writeThroughSink(type: string, options: Record<string, unknown>, batches: Row[][], replay?: number): Promise<void> {
  const sink = buildSink(type, options);
  await sink.open({ queryId: randomUUID(), queryName: 'bench-sql-test', outputMode: 'append', logger: silentLogger });
  try {
    for (let b = 0; b < batches.length; b++) await sink.foreachBatch(batches[b], b);
    if (replay !== undefined) await sink.foreachBatch(batches[replay], replay);
  } finally {
    await sink.close();
  }
}

/** Every row of db.table in key order, as the rows held them (MariaDB gives DATETIME back as UTC Dates). */
export async function readAll(connection: mysql.Connection, database: string, table: string): Promise<Row[]> {
  const [rows] = await connection.query(`SELECT * FROM \`${database}\`.\`${table}\` ORDER BY seq`);
  return (rows as Row[]).map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** The input in the order readAll gives. */
export const inOrder = (rows: readonly Row[]): Row[] => [...rows].sort((a, b) => Number(a.seq) - Number(b.seq));
