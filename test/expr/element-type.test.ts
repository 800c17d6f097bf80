import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileExpression } from '../../src/core/expr/index.js';
import { SCHEMA } from './helpers.js';

test("split gives an array of strings, so explode's column is a string (explain showed any)", () => {
  const split = compileExpression("split(s, ' ')", SCHEMA);
  assert.equal(split.type, 'array');
  assert.equal(split.elementType, 'string');
  assert.equal(compileExpression("split(lower(s), ',')", SCHEMA).elementType, 'string');
});

test('no element type where none is known: not an array, or an array of unknown elements', () => {
  assert.equal(compileExpression('lower(s)', SCHEMA).elementType, undefined);
  assert.equal(compileExpression('value + 1', SCHEMA).elementType, undefined);
  assert.equal(compileExpression('arr', SCHEMA).elementType, undefined);
});
