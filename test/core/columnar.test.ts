/**
 * Columnar batches (src/core/columnar): the columnar path must give exactly the rows of the row path. Every pipeline
 * runs twice through the engine, from rate-micro-batch as columns and from the same source with rows only, and the
 * sink output is compared as JSON (values, key order, timestamps); vectorized expressions are compared value for value
 * (Object.is: -0, NaN) with the row closures on columns that hold nulls, NaN and zeros, under a selection.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { map } from 'rxjs';
import { createSource } from '../../src/api/build.js';
import { type DataStream, readStream } from '../../src/api/stream.js';
import { ColumnBatch } from '../../src/core/columnar/column-batch.js';
import { columnsOf } from '../../src/core/columnar/micro-batch.js';
import { allValid, setNull, valueAt } from '../../src/core/columnar/vector.js';
import { compileExpression } from '../../src/core/expr/index.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import type { Source } from '../../src/core/source.js';
import { rateMicroBatchSource } from '../../src/sources/rate-micro-batch.js';

/** The same source without getColumns: the engine then runs the row path. */
function rowsOnly(source: Source): Source {
  return {
    description: source.description,
    replayable: source.replayable,
    schema: source.schema,
    open: (context) => source.open(context),
    latestOffset: (start) => source.latestOffset(start),
    getBatch: (start, end) => source.getBatch(start, end),
    stop: () => source.stop(),
  };
}

/** Runs `build` over 3 batches of 50 rows; the output as JSON, and whether every batch reached the end as columns. */
async function run(source: Source, build: (s: DataStream) => DataStream): Promise<{ json: string; columnar: boolean[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'streamlab-columnar-'));
  const batches: Row[][] = [];
  const columnar: boolean[] = [];
  try {
    const stream = build(readStream(source));
    await stream
      .pipe(
        map((batch) => {
          columnar.push(columnsOf(batch) !== undefined);
          return batch;
        }),
      )
      .writeStream({ checkpointLocation: join(dir, 'cp'), maxBatches: 3 })
      .foreachBatch((rows) => {
        batches.push(rows);
      })
      .awaitTermination();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { json: JSON.stringify(batches), columnar };
}

/** The rate-micro-batch source as an object (the engine's Source), so rowsOnly can hide its getColumns. */
const source = () =>
  createSource(rateMicroBatchSource, { rowsPerBatch: 50, startTimestamp: 1_700_000_000_000, advanceMillisPerBatch: 1000 });

const PIPELINES: Array<[string, (s: DataStream) => DataStream]> = [
  ['filter + withColumn triangle', (s) => s.filter('value % 2 == 0').withColumn('tr', 'triangle(value, 0, 30, 10)')],
  [
    'filter twice, nulls from / 0',
    (s) => s.filter('value > 10 and value <= 120').filter('not (value % 3 == 1)').withColumn('q', '(value - 50) / (value % 5)'),
  ],
  ['withColumn replaces in place', (s) => s.withColumn('value', 'value * 2.5 - 7').withColumn('s', 'sin(value) + abs(value - 60)')],
  ['select with expressions and a timestamp', (s) => s.select('value * 2 as doubled', 'timestamp', 'value', 'value >= 40 as big')],
  ['drop', (s) => s.withColumn('x', 'value % 7').drop('timestamp')],
  [
    'expressions without a vectorized form (row fallback)',
    (s) => s.withColumn('c', "concat('v', value)").filter('value in (1, 2, 3, 60, 149)'),
  ],
  ['is null and <=>', (s) => s.withColumn('n', 'value / (value % 2)').withColumn('isn', 'n is null').filter('n <=> value or isn')],
];

describe('columnar batches give the rows of the row path', () => {
  for (const [name, build] of PIPELINES) {
    it(name, async () => {
      const columns = await run(source(), build);
      const rows = await run(rowsOnly(source()), build);
      assert.deepEqual(columns.columnar, [true, true, true], 'the columnar run kept its columns to the sink');
      assert.deepEqual(rows.columnar, [false, false, false]);
      assert.ok(columns.json.length > 10, 'the pipeline produced rows');
      assert.equal(columns.json, rows.json);
    });
  }

  it('a row operator after columnar ones sees rows, and the columnar operators after it run on rows', async () => {
    const build = (s: DataStream) =>
      s.filter('value < 5').explode("split('a,b', ',')", 'e').withColumn('v2', 'value * 2').select('v2', 'e');
    const columns = await run(source(), build);
    const rows = await run(rowsOnly(source()), build);
    assert.deepEqual(columns.columnar, [false, false, false]);
    assert.ok(columns.json.includes('"e":"b"'));
    assert.equal(columns.json, rows.json);
  });
});

describe('vectorized expressions equal the row closures', () => {
  const schema: Schema = [
    { name: 'x', type: 'double' },
    { name: 'y', type: 'long' },
    { name: 'b', type: 'boolean' },
    { name: 'z', type: 'double' },
  ];
  // z has no null (no bitmap): the kernels' by-constant loops, and `%`'s integer instruction (-0, past 32 bits).
  const zs = [-4, 7, -0, 0, Number.NaN, 2147483648, -2147483649, 5.5, -6, 1e300];
  const xs = [1.5, -2, 0, -0, Number.NaN, 7, 30, -45.25, 1e300, 3];
  const ys = [2, 0, -3, 5, 0, 7, 4, 9, -1, 3];
  const bs = [1, 0, 1, 0, 1, 1, 0, 0, 1, 0];
  const xValid = allValid(10);
  setNull(xValid, 3);
  setNull(xValid, 8);
  const yValid = allValid(10);
  setNull(yValid, 5);
  const bValid = allValid(10);
  setNull(bValid, 2);
  const full = new ColumnBatch(
    ['x', 'y', 'b', 'z'],
    [
      { kind: 'number', values: Float64Array.from(xs), valid: xValid },
      { kind: 'number', values: Float64Array.from(ys), valid: yValid },
      { kind: 'boolean', values: Uint8Array.from(bs), valid: bValid },
      { kind: 'number', values: Float64Array.from(zs) },
    ],
    10,
  );
  const batches = [full, full.select(Int32Array.from([0, 1, 3, 4, 5, 8, 9]))];
  const EXPRESSIONS = [
    'x + y',
    'x - 1',
    '2 * x',
    'x / y',
    'y % 2',
    'x % y',
    'y / 0',
    'x == y',
    'x != 3',
    'x < y',
    'x <= y',
    'x > 0',
    'x >= y',
    'x <=> y',
    'x == x',
    'b and x > 0',
    'b or y < 1',
    'not b',
    'x is null',
    'y is not null',
    'triangle(x, 0, 30, 10)',
    'triangle(y, 1, 0, 10)',
    'pow(x, y)',
    'abs(x) + sqrt(y)',
    'z % 2',
    'z % -3',
    'z % 2.5',
    'z % 0',
    'z / 4',
    'z * -1',
    'z - 2',
    'z + 0.5',
  ];
  for (const text of EXPRESSIONS) {
    it(text, () => {
      const expression = compileExpression(text, schema);
      assert.ok(expression.vector, 'has a vectorized form');
      for (const batch of batches) {
        const vector = expression.vector(batch);
        assert.ok(vector && vector.kind !== 'values', 'evaluated as a typed vector');
        const rows = batch.rows();
        for (let k = 0; k < rows.length; k++) {
          const i = batch.position(k);
          const expected = expression.evaluate(rows[k]);
          const actual = valueAt(vector, i);
          assert.ok(Object.is(actual, expected), `row ${i}: vector ${String(actual)}, rows ${String(expected)}`);
        }
      }
    });
  }
});
