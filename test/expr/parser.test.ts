import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression } from '../../src/core/expr/index.js';
import { tokenize } from '../../src/core/expr/lexer.js';
import { parsed } from './helpers.js';

test('literals: integers, decimals, exponents, strings with escapes, booleans, null', () => {
  const values = (s: string) =>
    tokenize(s)
      .filter((t) => t.kind !== 'eof')
      .map((t) => [t.kind, t.value, t.integer]);
  assert.deepEqual(values('42 2.5 1e3 .5 1. 6.02E-23'), [
    ['number', 42, true],
    ['number', 2.5, false],
    ['number', 1000, false],
    ['number', 0.5, false],
    ['number', 1, false],
    ['number', 6.02e-23, false],
  ]);
  assert.deepEqual(values(`'it\\'s' "say \\"hi\\"" 'a\\tb\\n' '\\u00e9' '\\q' "it's"`), [
    ['string', "it's", false],
    ['string', 'say "hi"', false],
    ['string', 'a\tb\n', false],
    ['string', 'é', false],
    ['string', 'q', false],
    ['string', "it's", false],
  ]);
  assert.equal(parsed('TRUE and False or NULL'), '((true and false) or null)');
});

test('columns: identifiers, backticks with `` for a backtick, nested fields', () => {
  assert.equal(parsed('value'), 'value');
  assert.equal(parsed('`odd name` + `a``b`'), '(odd name + a`b)');
  assert.equal(parsed('st.inner.c'), 'st.inner.c');
  assert.equal(parsed('st.`odd field`'), 'st.odd field');
  assert.equal(parsed('f(st).a'), 'f(st).a');
});

test('precedence follows Spark SQL', () => {
  assert.equal(parsed('1 + 2 * 3'), '(1 + (2 * 3))');
  assert.equal(parsed('(1 + 2) * 3'), '((1 + 2) * 3)');
  assert.equal(parsed('1 - 2 - 3'), '((1 - 2) - 3)');
  assert.equal(parsed('8 / 4 / 2'), '((8 / 4) / 2)');
  assert.equal(parsed('value % 2 == 0'), '((value % 2) == 0)');
  assert.equal(parsed('-value * 2'), '((- value) * 2)');
  assert.equal(parsed('- -value'), '(- (- value))');
  assert.equal(parsed('-st.a'), '(- st.a)');
  assert.equal(parsed('a < b + 1'), '(a < (b + 1))');
  assert.equal(parsed('a = 1 and b <> 2 or c'), '(((a == 1) and (b != 2)) or c)');
  assert.equal(parsed('a or b and c'), '(a or (b and c))');
  assert.equal(parsed('a || b && c'), '(a or (b and c))');
  assert.equal(parsed('not a = b'), '(not (a == b))');
  assert.equal(parsed('!a and b'), '((not a) and b)');
  assert.equal(parsed('not not a'), '(not (not a))');
  assert.equal(parsed('x + 1 in (1, 2) and y is not null'), '(((x + 1) in [1, 2]) and (y is not null))');
  assert.equal(parsed('x NOT IN (1) or x IS NULL'), '((x not in [1]) or (x is null))');
  assert.equal(parsed('a <=> b'), '(a <=> b)');
  assert.equal(parsed('1 < 2 < 3'), '((1 < 2) < 3)');
});

test('calls: case-insensitive names, no arguments, nested', () => {
  assert.equal(parsed("CONCAT(lower(s), '-', 1 + 2)"), "CONCAT(lower(s), '-', (1 + 2))");
  assert.equal(parsed('f()'), 'f()');
});

test('nodes keep their source spans, operators their own', () => {
  const node = parseExpression('  value % 2 == 0');
  assert.equal(node.kind, 'binary');
  if (node.kind !== 'binary') return;
  assert.deepEqual([node.pos, node.end, node.opPos, node.opEnd, node.opText], [2, 16, 12, 14, '==']);
  assert.deepEqual([node.left.pos, node.left.end], [2, 11]);
  const grouped = parseExpression('(a + b)');
  assert.deepEqual([grouped.pos, grouped.end], [0, 7]);
});
