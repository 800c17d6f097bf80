/**
 * What the bench target tests write: a known schema with tags that need escaping (space, comma, equals sign),
 * quotes in a string field, a boolean and a null; rows unique by (host, region, time) as bench workloads are, and
 * a long checksum column. `writeThroughSink` builds the sink through the registry, as a job would (definition,
 * options schema, factory), from the connection, the target's defaults and the destination's options.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import type { BenchTarget, Destination, DestinationSpec } from '../../src/benchmark/target.js';
import { findComponent, sinks } from '../../src/registry.js';
import { buildContext } from '../support/conformance/build-context.js';

export const SCHEMA: Schema = [
  { name: 'time', type: 'timestamp' },
  { name: 'host', type: 'string' },
  { name: 'region', type: 'string' },
  { name: 'usage', type: 'double' },
  { name: 'seq', type: 'long' },
  { name: 'ok', type: 'boolean' },
  { name: 'note', type: 'string' },
];

export function spec(name: string): DestinationSpec {
  return { name, schema: SCHEMA, checksumColumn: 'seq', keyColumns: ['host', 'region'], timeColumn: 'time' };
}

const START = Date.UTC(2016, 0, 1);

/** n rows: 7 hosts x 2 regions, one reading per host every 10 s. */
export function makeRows(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    time: new Date(START + Math.floor(i / 7) * 10_000),
    host: `host ${i % 7}`,
    region: i % 7 < 4 ? 'eu,west=1' : 'us',
    usage: (i % 1000) / 8,
    seq: i * 1000 + 7,
    ok: i % 3 === 0,
    note: i % 5 === 0 ? null : `say "hi", ${i}`,
  }));
}

export const expected = (rows: Row[]) => ({ rows: rows.length, checksum: rows.reduce((s, r) => s + (r.seq as number), 0) });

export function batches(rows: Row[], size: number): Row[][] {
  const out: Row[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** The sink of `target`, built and driven as the bench's `guarantee: none` runs do: open, foreachBatch, close. */
export async function writeThroughSink(
  target: BenchTarget,
  connection: Record<string, unknown>,
  destination: Destination,
  spec: DestinationSpec,
  rowBatches: Row[][],
): Promise<void> {
  const definition = findComponent(sinks, target.sink);
  if (!definition) throw new Error(`no sink ${target.sink} in the registry`);
  const options = definition.options.parse({ ...target.defaults, ...connection, ...destination.sinkOptions });
  const sink = definition.create(options, buildContext(spec.schema));
  await sink.open({ queryId: `bench-test-${process.pid}`, queryName: 'bench-test', outputMode: 'append', logger: silentLogger });
  try {
    for (const [batchId, batch] of rowBatches.entries()) await sink.foreachBatch(batch, batchId);
  } finally {
    await sink.close();
  }
}
