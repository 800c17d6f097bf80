import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpressionError } from '../../src/core/expr/index.js';
import { errorOf } from './helpers.js';

/** [source, message, position, length] */
function check(source: string, message: string | RegExp, position: number, length: number): void {
  const e = errorOf(source);
  assert.ok(e instanceof ExpressionError && e instanceof Error);
  if (typeof message === 'string') assert.equal(e.message, message, source);
  else assert.match(e.message, message, source);
  assert.deepEqual([e.position, e.length], [position, length], `${source}: ${e.message}`);
}

test('lexical errors', () => {
  check("value == 'abc", 'unterminated string', 9, 4);
  check('value == "a\\"', 'unterminated string', 9, 4);
  check('`odd name', 'unterminated quoted column name', 0, 9);
  check('``', 'empty column name', 0, 2);
  check('value # 2', "unexpected character '#'", 6, 1);
  check('1.2.3 + value', "malformed number '1.2.3'", 0, 5);
  check('2x', "malformed number '2x'", 0, 2);
  check('1e', "malformed number '1e'", 0, 2);
  check("'\\u12'", 'invalid \\u escape: expected 4 hex digits', 1, 5);
  check('9007199254740993', /integer 9007199254740993 is too large/, 0, 16);
});

test('syntax errors', () => {
  check('value +', 'expected an expression but found the end of the expression', 7, 0);
  check('', 'expected an expression but found the end of the expression', 0, 0);
  check('(value + 1', "expected ')' but found the end of the expression", 10, 0);
  check('value value', "unexpected 'value' after the end of the expression", 6, 5);
  check('value * * 2', "expected an expression but found '*'", 8, 1);
  check('value and or b', "expected an expression but found 'or'", 10, 2);
  check('value as doubled', "unexpected 'as' after the end of the expression", 6, 2);
  check('value in 1, 2', "expected '(' but found '1'", 9, 1);
  check('value is 1', "expected 'null' after 'is' but found '1'", 9, 1);
  check('st.(a)', "expected a field name after '.' but found '('", 3, 1);
  check('st.1', "unexpected '.1' after the end of the expression", 2, 2);
  check('abs(1,)', "expected an expression but found ')'", 6, 1);
});

test('unknown column lists the columns', () => {
  const e = errorOf('vlaue % 2 == 0', [
    { name: 'timestamp', type: 'timestamp' },
    { name: 'value', type: 'long' },
  ]);
  assert.equal(e.message, "unknown column 'vlaue' (columns: timestamp, value)");
  assert.deepEqual([e.position, e.length], [0, 5]);
  assert.equal(e.pointer('vlaue % 2 == 0'), 'vlaue % 2 == 0\n^^^^^');
  assert.equal(errorOf('1 + `no such`', []).message, "unknown column 'no such' (the input has no columns)");
  assert.deepEqual([errorOf('1 + `no such`', []).position, errorOf('1 + `no such`', []).length], [4, 9]);
  check('Value', /^unknown column 'Value' \(columns: timestamp, value, x, /, 0, 5);
});

test('unknown function suggests near matches', () => {
  check('tringle(value, 0, 30, 10)', "unknown function 'tringle' (did you mean triangle?)", 0, 7);
  check('x + sqr(2)', "unknown function 'sqr' (did you mean sqrt?)", 4, 3);
  check('substr(s, 1)', "unknown function 'substr' (did you mean substring?)", 0, 6);
  check('frobnicate(1)', "unknown function 'frobnicate' (see docs/expressions.md for the functions)", 0, 10);
});

test('wrong arity points at the whole call', () => {
  check('value + triangle(value, 0, 30)', 'triangle expects 4 arguments, got 3', 8, 22);
  check('round()', 'round expects 1 or 2 arguments, got 0', 0, 7);
  check('substring(s)', 'substring expects 2 or 3 arguments, got 1', 0, 12);
  check('concat()', 'concat expects at least 1 argument, got 0', 0, 8);
  check('least(1)', 'least expects at least 2 arguments, got 1', 0, 8);
  check('sqrt(1, 2)', 'sqrt expects 1 argument, got 2', 0, 10);
});

test('type errors certain at compile time', () => {
  check("s + 'x'", "'+' does not join strings: use concat(a, b)", 2, 1);
  check("value + 'x'", "'+' does not join strings: use concat(a, b)", 6, 1);
  check('b * 2', "cannot apply '*' to boolean and long", 2, 1);
  check('timestamp - timestamp', "cannot apply '-' to timestamp and timestamp", 10, 1);
  check("value == 'seven'", "cannot compare long with string using '=='", 6, 2);
  check("value <> 'seven'", "cannot compare long with string using '<>'", 6, 2);
  check('1 < 2 < 3', "cannot compare boolean with long using '<'", 6, 1);
  check('arr < arr', "cannot compare array with array using '<'", 4, 1);
  check("value in (1, 'two')", "cannot compare long with string in 'in'", 13, 5);
  check('value and b', "'and' needs boolean operands, got long", 0, 5);
  check('b || s', "'||' needs boolean operands, got string", 5, 1);
  check('not value', "'not' needs a boolean, got long", 4, 5);
  check("-'a'", "cannot apply unary '-' to string", 0, 1);
  check('value.a', "cannot read field 'a' of a long value (only structs have fields)", 5, 2);
  check("sqrt('16')", 'sqrt expects a number as argument 1, got string', 5, 4);
  check('lower(arr)', 'lower expects a string as argument 1, got array', 6, 3);
  check('year(value)', 'year expects a timestamp as argument 1, got long', 5, 5);
  check('if(value, 1, 2)', 'if expects a boolean as argument 1, got long', 3, 5);
  check('size(s)', 'size expects an array as argument 1, got string', 5, 1);
  check('round(x, value)', 'round needs a constant as argument 2', 9, 5);
  check("greatest(value, 'a')", 'greatest cannot compare long with string', 9, 5);
});

test('absurd nesting is an ExpressionError, not a stack overflow', () => {
  const e = errorOf(`${'('.repeat(5000)}1${')'.repeat(5000)}`);
  assert.match(e.message, /nested more than 200 levels/);
  assert.equal(e.position, 200);
  assert.equal(errorOf(`${'-'.repeat(300)}1`).message, 'expression nested more than 200 levels deep');
});
