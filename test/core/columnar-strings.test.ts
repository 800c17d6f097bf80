/**
 * Dictionary-encoded strings: the column builder (dictionary while values repeat, a plain array once they do not),
 * concatenating batches (dictionaries merged), and expressions over one string column computed once per distinct
 * value (src/core/expr/vector-strings.ts), value for value equal to the row closures (Object.is), on a dictionary
 * vector and on a plain one, with nulls, unicode and a selection.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnBuilder, StringColumn } from '../../src/core/columnar/builder.js';
import { ColumnBatch } from '../../src/core/columnar/column-batch.js';
import { concatBatches } from '../../src/core/columnar/concat.js';
import { allValid, setNull, valueAt, type Vector } from '../../src/core/columnar/vector.js';
import { compileExpression } from '../../src/core/expr/index.js';
import type { Value } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';

const LABELS: Value[] = ['b', 'a', null, 'é', '日本', 'a', '', 'b', null, 'A', 'a', 'zz'];

function built(type: 'string' | 'long' | 'timestamp' | 'boolean', values: Value[]): Vector {
  const builder = columnBuilder(type, 2); // small: the builder grows
  for (const v of values) builder.push(v);
  return builder.finish();
}

describe('column builders', () => {
  it('strings that repeat are a dictionary of distinct values, nulls in the bitmap', () => {
    const vector = built('string', LABELS);
    assert.ok(vector.kind === 'dictionary');
    assert.deepEqual(vector.dictionary, ['b', 'a', 'é', '日本', '', 'A', 'zz']);
    assert.deepEqual(
      LABELS.map((_, i) => valueAt(vector, i)),
      LABELS,
    );
  });

  it('strings that do not repeat become a plain array, values kept', () => {
    const values = Array.from({ length: 3 * StringColumn.DICTIONARY_MIN }, (_, i) => (i % 5 === 0 ? null : `v${i}`));
    const vector = built('string', values);
    assert.equal(vector.kind, 'values');
    assert.deepEqual(
      values.map((_, i) => valueAt(vector, i)),
      values,
    );
  });

  it('numbers, timestamps (epoch ms) and booleans grow, with nulls', () => {
    const numbers = Array.from({ length: 100 }, (_, i) => (i % 7 === 3 ? null : i === 5 ? -0 : i * 1.5));
    const n = built('long', numbers);
    assert.ok(n.kind === 'number');
    for (const [i, v] of numbers.entries()) assert.ok(Object.is(valueAt(n, i), v), `row ${i}`);
    const t = built('timestamp', [0, null, 1_767_225_600_000]);
    assert.deepEqual(
      [0, 1, 2].map((i) => valueAt(t, i)),
      [new Date(0), null, new Date(1_767_225_600_000)],
    );
    const b = built('boolean', [true, null, false]);
    assert.deepEqual(
      [0, 1, 2].map((i) => valueAt(b, i)),
      [true, null, false],
    );
  });

  it('concatenated batches merge dictionaries and bitmaps, rows in order', () => {
    const part = (labels: Value[], numbers: Value[]) =>
      new ColumnBatch(['k', 'n'], [built('string', labels), built('long', numbers)], labels.length);
    const parts = [part(['x', 'y', null], [1, null, 3]), part(['y', 'z'], [4, 5]), part([null], [null])];
    const whole = concatBatches(parts);
    assert.deepEqual(
      whole.rows(),
      parts.flatMap((p) => p.rows()),
    );
    const k = whole.vector('k');
    assert.ok(k?.kind === 'dictionary');
    assert.deepEqual(k.dictionary, ['x', 'y', 'z']);
  });
});

describe('expressions over one string column equal the row closures', () => {
  const schema: Schema = [
    { name: 'k', type: 'string' },
    { name: 'x', type: 'double' },
  ];
  const xs = LABELS.map((_, i) => i - 4);
  const xValid = allValid(LABELS.length);
  setNull(xValid, 6);
  const x: Vector = { kind: 'number', values: Float64Array.from(xs), valid: xValid };
  const asDictionary = new ColumnBatch(['k', 'x'], [built('string', LABELS), x], LABELS.length);
  const asValues = new ColumnBatch(['k', 'x'], [{ kind: 'values', values: LABELS }, x], LABELS.length);
  const selection = Int32Array.from([0, 2, 3, 4, 6, 8, 11]);
  const batches: Array<[string, ColumnBatch]> = [
    ['dictionary', asDictionary],
    ['dictionary, selected', asDictionary.select(selection)],
    ['plain', asValues],
    ['plain, selected', asValues.select(selection)],
  ];
  const EXPRESSIONS: Array<[string, Vector['kind']]> = [
    ["k = 'a'", 'boolean'],
    ["k != 'a'", 'boolean'],
    ["k < 'b'", 'boolean'],
    ["k >= 'é'", 'boolean'],
    ["k <=> 'a'", 'boolean'],
    ["k in ('a', '日本', 'zz')", 'boolean'],
    ["k not in ('a')", 'boolean'],
    ['k is null', 'boolean'],
    ['k is not null', 'boolean'],
    ["substring(k, 1, 1) = 'a'", 'boolean'],
    ['coalesce(k, trim(k))', 'dictionary'],
    ["k = 'a' and x > 0", 'boolean'],
    ["not (k = 'b') or x is null", 'boolean'],
    ['length(k) + x', 'number'],
    ['upper(k)', 'dictionary'],
    ["concat(k, '!')", 'dictionary'],
  ];
  for (const [text, kind] of EXPRESSIONS) {
    it(text, () => {
      const expression = compileExpression(text, schema);
      assert.ok(expression.vector, 'has a vectorized form');
      for (const [name, batch] of batches) {
        const vector = expression.vector(batch);
        assert.ok(vector, `${name}: evaluated without the row path`);
        assert.equal(vector.kind, kind === 'dictionary' && name.startsWith('plain') ? 'values' : kind, name);
        const rows = batch.rows();
        for (let r = 0; r < rows.length; r++) {
          const i = batch.position(r);
          const expected = expression.evaluate(rows[r]);
          const actual = valueAt(vector, i);
          assert.ok(Object.is(actual, expected), `${name}, row ${i}: vector ${String(actual)}, rows ${String(expected)}`);
        }
      }
    });
  }

  it('a string result over a dictionary keeps distinct values in its dictionary', () => {
    const vector = compileExpression("substring(k, 1, 0) = '' or k is null", schema).vector!(asDictionary);
    assert.equal(vector?.kind, 'boolean');
    const lower = compileExpression('lower(k)', schema).vector!(asDictionary);
    assert.ok(lower?.kind === 'dictionary');
    assert.deepEqual(lower.dictionary, ['b', 'a', 'é', '日本', '', 'zz']);
  });

  it('an expression over two string columns keeps the row path', () => {
    const two: Schema = [...schema, { name: 'j', type: 'string' }];
    assert.equal(compileExpression('k = j', two).vector, undefined);
  });
});
