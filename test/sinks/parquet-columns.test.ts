/**
 * The parquet sink writes a columnar batch (src/core/columnar) from its vectors: the files must be byte for byte those
 * its rows give through foreachBatch, with a selection, nulls, strings, partitions and maxRowsPerFile; and a value
 * that does not fit its column is named as the row path names it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ColumnBatch } from '../../src/core/columnar/column-batch.js';
import { allValid, setNull, type Vector } from '../../src/core/columnar/vector.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Schema } from '../../src/core/schema.js';
import type { PartitionSpec } from '../../src/sinks/parquet/partition.js';
import { ParquetSink } from '../../src/sinks/parquet/sink.js';
import { makeTempDir } from '../support/temp-dir.js';

const N = 5000;
const HOUR = 3_600_000;

/** timestamp over three hours, value (long), tr (double, nulls at multiples of 7), name (strings and nulls), ok. */
function batch(selection?: Int32Array): ColumnBatch {
  const time = new Float64Array(N);
  const value = new Float64Array(N);
  const tr = new Float64Array(N);
  const trValid = allValid(N);
  const ok = new Uint8Array(N);
  const names: (string | null)[] = [];
  for (let i = 0; i < N; i++) {
    time[i] = Date.UTC(2026, 11, 1, 10) + Math.floor((i * 3 * HOUR) / N);
    value[i] = i * 1_000_003 - 7;
    tr[i] = i / 3 - 100;
    if (i % 7 === 0) setNull(trValid, i);
    ok[i] = i % 2;
    names.push(i % 5 === 0 ? null : `n${i % 13} "é"`);
  }
  const vectors: Vector[] = [
    { kind: 'timestamp', values: time },
    { kind: 'number', values: value },
    { kind: 'number', values: tr, valid: trValid },
    { kind: 'values', values: names },
    { kind: 'boolean', values: ok },
  ];
  return new ColumnBatch(['timestamp', 'value', 'tr', 'name', 'ok'], vectors, N, selection);
}

const COLUMNS: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'value', type: 'long' },
  { name: 'tr', type: 'double' },
  { name: 'name', type: 'string' },
  { name: 'ok', type: 'boolean' },
];

async function sinkIn(dir: string, partitionBy: PartitionSpec[], maxRowsPerFile?: number): Promise<ParquetSink> {
  const columns = COLUMNS.filter((c) => !partitionBy.some((p) => p.kind === 'column' && p.column === c.name));
  const sink = new ParquetSink({ path: dir, partitionBy, columns, codec: 'snappy', rowGroupSize: 1000, maxRowsPerFile, queryName: 't' });
  await sink.open({ queryId: 'q-columns', queryName: 't', outputMode: 'append', logger: silentLogger });
  return sink;
}

/** Every data file under dir: relative path -> its bytes. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.parquet')) {
      const path = join(entry.parentPath, entry.name);
      out.set(relative(dir, path), readFileSync(path));
    }
  }
  return out;
}

async function compare(input: ColumnBatch, partitionBy: PartitionSpec[], maxRowsPerFile?: number): Promise<number> {
  const fromColumns = makeTempDir('streamlab-parquet-columns-');
  const fromRows = makeTempDir('streamlab-parquet-rows-');
  await (await sinkIn(fromColumns, partitionBy, maxRowsPerFile)).foreachColumns(input, 3);
  await (await sinkIn(fromRows, partitionBy, maxRowsPerFile)).foreachBatch(input.rows(), 3);
  const a = files(fromColumns);
  const b = files(fromRows);
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [path, bytes] of a) assert.ok(bytes.equals(b.get(path) as Buffer), `${path} differs`);
  return a.size;
}

describe('parquet sink: a columnar batch gives the files its rows give', () => {
  it('unpartitioned, every row', async () => {
    assert.equal(await compare(batch(), []), 1);
  });

  it('a selection (after a filter), partitioned by hour, split by maxRowsPerFile', async () => {
    const selection = Int32Array.from({ length: N / 2 }, (_, k) => k * 2 + 1);
    assert.equal(await compare(batch(selection), [{ kind: 'time', column: 'timestamp', granularity: 'hour' }], 700), 3 * 2);
  });

  it('a plain partition column (a boolean folder) left out of the files', async () => {
    assert.equal(await compare(batch(), [{ kind: 'column', column: 'ok' }]), 2);
  });

  it('a long column holding a fraction is refused with the row path message', async () => {
    const bad = batch().withVector('value', { kind: 'number', values: Float64Array.from({ length: N }, (_, i) => (i === 42 ? 1.5 : i)) });
    const sink = await sinkIn(makeTempDir('streamlab-parquet-columns-'), []);
    await assert.rejects(sink.foreachColumns(bad, 0), /column "value" is declared long but row 42 of the batch has number 1\.5/);
  });
});
