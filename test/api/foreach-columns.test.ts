/**
 * `foreachBatch(f, { columns: true })`: f gets each batch as a ColumnBatch whose rows are exactly the rows plain
 * `foreachBatch` gets for the same query, batch by batch (JSON: values, nulls, key order), with every column of a
 * number / timestamp / boolean schema type in that vector kind: whether the engine produced columns (rate ->
 * filter -> withColumn), a column the engine computed row by row, or rows (after a row operator, from the file source).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { map } from 'rxjs';
import { type ColumnBatch, type DataStream, isValid, readStream, sources } from '../../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'streamlab-foreach-columns-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let queries = 0;

/** Runs the stream twice (fresh checkpoints), rows then columns; each batch's rows as JSON, and the column batches. */
async function runBoth(stream: DataStream<object>, maxBatches: number) {
  const fromRows: string[] = [];
  const options = () => ({ checkpointLocation: join(folder, `cp-${++queries}`), maxBatches });
  await stream
    .writeStream(options())
    .foreachBatch((rows, batchId) => {
      fromRows[batchId] = JSON.stringify(rows);
    })
    .awaitTermination();
  const batches: ColumnBatch[] = [];
  await stream
    .writeStream(options())
    .foreachBatch(
      (columns, batchId) => {
        batches[batchId] = columns as unknown as ColumnBatch;
      },
      { columns: true },
    )
    .awaitTermination();
  assert.equal(batches.length, maxBatches);
  assert.deepEqual(
    batches.map((b) => JSON.stringify(b.rows())),
    fromRows,
  );
  return batches;
}

/** The values of a number/timestamp/boolean vector at the batch's rows, null where not valid. */
function read(batch: ColumnBatch, name: string): (number | null)[] {
  const vector = batch.vector(name);
  assert.ok(vector && (vector.kind === 'number' || vector.kind === 'timestamp' || vector.kind === 'boolean'), `${name}: ${vector?.kind}`);
  return Array.from({ length: batch.length }, (_, k) => {
    const i = batch.position(k);
    return isValid(vector.valid, i) ? vector.values[i] : null;
  });
}

describe('foreachBatch with { columns: true }', () => {
  it('gives the columns the engine produced (rate -> filter -> withColumn): the same rows, typed vectors', async () => {
    const stream = readStream(sources.rateMicroBatch({ rowsPerBatch: 10 }))
      .filter('value % 2 == 0')
      .withColumn('tr', 'triangle(value, 0, 30, 10)')
      .withColumn('inverse', '1 / (value % 3)');
    const batches = await runBoth(stream, 3);
    const values = batches.flatMap((b) => read(b, 'value'));
    assert.deepEqual(
      values,
      Array.from({ length: 15 }, (_, i) => 2 * i),
    );
    const tr = batches.flatMap((b) => read(b, 'tr'));
    assert.deepEqual(
      tr,
      values.map((v) => 10 / 2 - (10 / 15) * Math.abs((v! % 30) - 15)),
    );
    // Division by zero is null: a validity bitmap, not a NaN.
    assert.deepEqual(
      batches.flatMap((b) => read(b, 'inverse')),
      values.map((v) => (v! % 3 === 0 ? null : 1 / (v! % 3))),
    );
    for (const b of batches) assert.equal(b.vector('timestamp')?.kind, 'timestamp');
  });

  it('a number column the engine computed row by row (a values vector) arrives as a number vector', async () => {
    const stream = readStream(sources.rateMicroBatch({ rowsPerBatch: 5 })).withColumn('digits', "size(split(concat('a,', value), ','))");
    const batches = await runBoth(stream, 2);
    assert.deepEqual(
      batches.flatMap((b) => read(b, 'digits')),
      Array(10).fill(2),
    );
  });

  it('a batch that reaches the sink as rows (after a pipe() operator) is given as columns built from its rows', async () => {
    const stream = readStream(sources.rateMicroBatch({ rowsPerBatch: 4 })).pipe(
      map((batch) => ({ ...batch, rows: batch.rows.filter((r) => Number(r.value) !== 1) })),
    );
    const batches = await runBoth(stream, 2);
    assert.deepEqual(
      batches.flatMap((b) => read(b, 'value')),
      [0, 2, 3, 4, 5, 6, 7],
    );
  });

  it('rows with nulls of every typed kind (file source): validity bitmaps, strings as values', async () => {
    const file = join(folder, 'events.json');
    const lines = [
      { t: '2026-01-01T00:00:00Z', n: 1, d: 1.5, b: true, s: 'a' },
      { t: null, n: null, d: null, b: null, s: null },
      { t: '2026-01-01T00:00:01.250Z', n: -3, d: Number.MAX_VALUE, b: false, s: 'é✓' },
    ];
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const schema = { t: 'timestamp', n: 'long', d: 'double', b: 'boolean', s: 'string' } as const;
    const [batch] = await runBoth(readStream(sources.file({ path: file, schema })), 1);
    assert.deepEqual(read(batch, 't'), [Date.parse('2026-01-01T00:00:00Z'), null, Date.parse('2026-01-01T00:00:01.250Z')]);
    assert.deepEqual(read(batch, 'n'), [1, null, -3]);
    assert.deepEqual(read(batch, 'd'), [1.5, null, Number.MAX_VALUE]);
    assert.deepEqual(read(batch, 'b'), [1, null, 0]);
    const s = batch.vector('s');
    assert.ok(s?.kind === 'values' || s?.kind === 'dictionary', s?.kind);
    assert.deepEqual(
      batch.rows().map((r) => r.s),
      ['a', null, 'é✓'],
    );
  });
});
