import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression } from '../../src/core/expr/index.js';
import type { Schema } from '../../src/core/schema.js';
import { errorOf } from './helpers.js';

const NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', '__defineGetter__'];

test('prototype names are unknown columns unless the schema declares them', () => {
  const schema: Schema = [{ name: 'value', type: 'long' }];
  for (const name of NAMES) {
    assert.match(errorOf(name, schema).message, new RegExp(`^unknown column '${name}'`));
    assert.match(errorOf(`\`${name}\``, schema).message, new RegExp(`^unknown column '${name}'`));
  }
});

test('declared prototype-named columns read own properties only: null on a row that lacks them, never a function', () => {
  const schema: Schema = NAMES.map((name) => ({ name, type: 'any' as const }));
  const rows = [{}, { value: 1 }, Object.create(null), Object.create({ constructor: 'inherited', toString: 'inherited' })];
  for (const name of NAMES) {
    const e = compileExpression(`\`${name}\``, schema);
    for (const row of rows) assert.equal(e.evaluate(row), null, name);
    assert.equal(compileExpression(`isnull(\`${name}\`)`, schema).evaluate({}), true);
    assert.equal(compileExpression(`string(\`${name}\`)`, schema).evaluate({}), null);
  }
  const own = JSON.parse('{"__proto__": 5, "constructor": "c"}');
  assert.equal(compileExpression('`__proto__` + 1', schema).evaluate(own), 6);
  assert.equal(compileExpression('`constructor`', schema).evaluate(own), 'c');
});

test('struct fields are own properties only', () => {
  const schema: Schema = [
    { name: 'st', type: 'struct' },
    { name: 'arr', type: 'array' },
    { name: 'ts', type: 'timestamp' },
    { name: 's', type: 'any' },
  ];
  const row = { st: { a: 1 }, arr: [1, 2], ts: new Date(0), s: 'abc' };
  for (const name of NAMES) {
    for (const column of ['st', 's']) {
      const v = compileExpression(`${column}.\`${name}\``, schema).evaluate(row);
      assert.equal(v, null, `${column}.${name}`);
    }
  }
  assert.equal(compileExpression('st.a', schema).evaluate(row), 1);
  assert.match(errorOf('arr.length', schema).message, /cannot read field 'length' of a array value|cannot read field 'length' of a/);
  assert.equal(compileExpression('s.length', schema).evaluate(row), null);
  assert.equal(compileExpression('s.length', schema).evaluate({ s: [1, 2] }), null);
  assert.equal(compileExpression('s.getTime', schema).evaluate({ s: new Date(0) }), null);
});

test('prototype names are unknown functions', () => {
  for (const name of NAMES)
    assert.match(errorOf(`${name}(1)`, [{ name: 'value', type: 'long' }]).message, new RegExp(`^unknown function '${name}'`));
});

test('own properties that hold functions are not returned', () => {
  const e = compileExpression('f', [{ name: 'f', type: 'any' }]);
  assert.equal(e.evaluate({ f: (() => 1) as never }), null);
});
