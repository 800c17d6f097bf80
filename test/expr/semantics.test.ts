import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression } from '../../src/core/expr/index.js';
import { ev, ROW, SCHEMA, typeOf } from './helpers.js';

test('arithmetic: / is floating, % takes the sign of the dividend, division by zero is null', () => {
  assert.equal(ev('value * 2 + 1'), 15);
  assert.equal(ev('7 / 2'), 3.5);
  assert.equal(ev('-7 % 3'), -1);
  assert.equal(ev('7 % -3'), 1);
  assert.equal(ev('-7.5 % 2'), -1.5);
  assert.equal(ev('value / 0'), null);
  assert.equal(ev('value % 0'), null);
  assert.equal(ev('value / (value - 7)'), null);
  assert.equal(ev('x - -value'), 9.5);
  assert.equal(ev('1e3 + .5'), 1000.5);
});

test('type inference', () => {
  assert.equal(typeOf('value + 1'), 'long');
  assert.equal(typeOf('value % 2'), 'long');
  assert.equal(typeOf('value / 2'), 'double');
  assert.equal(typeOf('value * 1.5'), 'double');
  assert.equal(typeOf('-value'), 'long');
  assert.equal(typeOf('j + 1'), 'double');
  assert.equal(typeOf('value == 1'), 'boolean');
  assert.equal(typeOf("'a'"), 'string');
  assert.equal(typeOf('timestamp'), 'timestamp');
  assert.equal(typeOf("split(s, ' ')"), 'array');
  assert.equal(typeOf('st.a'), 'any');
  assert.equal(typeOf('j'), 'any');
  assert.equal(typeOf('null'), 'any');
  assert.equal(typeOf('if(b, value, x)'), 'double');
  assert.equal(typeOf('if(b, value, null)'), 'long');
  assert.equal(typeOf('coalesce(s, value)'), 'any');
  assert.equal(typeOf('abs(value)'), 'long');
  assert.equal(typeOf('abs(x)'), 'double');
  assert.equal(typeOf('round(value, -1)'), 'long');
  assert.equal(typeOf('pmod(value, 3)'), 'long');
  assert.equal(typeOf('pmod(value, 1.5)'), 'double');
  assert.equal(typeOf('timestamp_millis(0)'), 'timestamp');
});

test('comparisons, including = and <>, strings, booleans and timestamps', () => {
  assert.equal(ev('value % 2 == 1'), true);
  assert.equal(ev('value = 7 and value <> 8 and value != 9'), true);
  assert.equal(ev('value < 7 or value > 7'), false);
  assert.equal(ev('value <= 7 and value >= 7'), true);
  assert.equal(ev("s < 'Hello x' and s > 'Hello'"), true);
  assert.equal(ev('false < true'), true);
  assert.equal(ev('timestamp > timestamp_millis(0)'), true);
  assert.equal(ev('timestamp == timestamp_millis(1714567890123)'), true);
  assert.equal(ev('value == 7.0'), true);
  assert.equal(ev("split('a b', ' ') == split('a b', ' ')"), true);
});

test('NaN equals NaN and sorts above every number, as in Spark', () => {
  assert.equal(ev('sqrt(-1) == sqrt(-1)'), true);
  assert.equal(ev('sqrt(-1) != sqrt(-1)'), false);
  assert.equal(ev('sqrt(-1) > 1e308'), true);
  assert.equal(ev('x < sqrt(-1)'), true);
  assert.equal(ev('sqrt(x - 5) > 3'), true);
  assert.equal(ev('greatest(sqrt(-1), 1)') !== ev('greatest(sqrt(-1), 1)'), true); // NaN
});

test('null propagates through arithmetic, comparisons, unary operators and strict functions', () => {
  for (const source of [
    'n + 1',
    '1 - n',
    'n * x',
    'n / 2',
    'n % 2',
    '-n',
    'n == 1',
    'n != 1',
    'n < 1',
    'null == null',
    'abs(n)',
    'concat(s, n)',
    'not (n > 1)',
    'n in (1, 2)',
    'substring(s, n)',
  ]) {
    assert.equal(ev(source), null, source);
  }
});

test('and / or / not are three-valued', () => {
  const n = 'n == 1'; // null
  assert.equal(ev(`${n} and false`), false);
  assert.equal(ev(`false and ${n}`), false);
  assert.equal(ev(`${n} and true`), null);
  assert.equal(ev(`${n} or true`), true);
  assert.equal(ev(`true or ${n}`), true);
  assert.equal(ev(`${n} or false`), null);
  assert.equal(ev(`not (${n})`), null);
  assert.equal(ev('!b'), false);
  assert.equal(ev('b && !false'), true);
  assert.equal(ev('false || b'), true);
});

test('in, not in, is null, <=>', () => {
  assert.equal(ev('value in (1, 7, 9)'), true);
  assert.equal(ev('value in (1, 2)'), false);
  assert.equal(ev('value not in (1, 2)'), true);
  assert.equal(ev('value in (1, null)'), null);
  assert.equal(ev('value in (7, null)'), true);
  assert.equal(ev('value not in (1, null)'), null);
  assert.equal(ev('value in (value - 1, value + 0)'), true);
  assert.equal(ev("s in ('a', 'Hello World')"), true);
  assert.equal(ev('n is null and value is not null'), true);
  assert.equal(ev('n <=> null'), true);
  assert.equal(ev('value <=> null'), false);
  assert.equal(ev('value <=> 7'), true);
});

test('nested fields on structs; null when absent or not a struct', () => {
  assert.equal(ev('st.a + 1'), 2);
  assert.equal(ev('st.inner.c'), 'deep');
  assert.equal(ev('st.missing'), null);
  assert.equal(ev('st.inner.c.d'), null);
  assert.equal(ev('j.a'), null);
  assert.deepEqual(ev('j.a', { ...ROW, j: { a: [1] } }), [1]);
});

test('values of the wrong kind at run time (any columns) give null, never a JS coercion', () => {
  const row = { ...ROW, j: '5' };
  assert.equal(ev('j + 1', row), null);
  assert.equal(ev('j * 2', row), null);
  assert.equal(ev('j < 10', row), null);
  assert.equal(ev('j == 5', row), false);
  assert.equal(ev('sqrt(j)', row), null);
  assert.equal(ev('j and true', row), null);
  assert.equal(ev('j + 1', { ...ROW, j: 10n }), 11);
  assert.equal(ev('j == 10', { ...ROW, j: 10n }), true);
});

test('a missing or undefined column value is null', () => {
  assert.equal(ev('value', {}), null);
  assert.equal(ev('value + 1', { value: undefined } as never), null);
});

test('constant sub-expressions are folded; dates and arrays are made per row', () => {
  const e = compileExpression('value + (2 * 3)', SCHEMA);
  assert.equal(e.evaluate({ value: 1 }), 7);
  const t = compileExpression('timestamp_millis(0)', SCHEMA);
  assert.notEqual(t.evaluate({}), t.evaluate({}));
  assert.deepEqual(t.evaluate({}), new Date(0));
});

test('columns lists the columns read, once each, in order', () => {
  assert.deepEqual(compileExpression('x + value * value > `odd name`', SCHEMA).columns, ['x', 'value', 'odd name']);
  assert.deepEqual(compileExpression('1 + 1', SCHEMA).columns, []);
  const e = compileExpression('value % 2 == 0', SCHEMA);
  assert.equal(e.source, 'value % 2 == 0');
  assert.equal(e.type, 'boolean');
});
