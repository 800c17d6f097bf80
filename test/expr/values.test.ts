import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareValues, valueEquals } from '../../src/core/expr/values.js';

describe('values: a long (bigint) against a double (number)', () => {
  it('are equal when they are the same number, exactly', () => {
    assert.equal(valueEquals(1n, 1), true);
    assert.equal(valueEquals(1, 1n), true);
    assert.equal(valueEquals(2n ** 60n, 2 ** 60), true);
    assert.equal(valueEquals(2n ** 60n + 1n, 2 ** 60), false, 'no rounding of the long to a double');
    assert.equal(valueEquals(1n, 1.5), false);
    assert.equal(valueEquals(0n, NaN), false);
    assert.equal(valueEquals(1n, Infinity), false);
    assert.equal(valueEquals(1n, '1'), false, 'different kinds are never equal');
  });

  it('order numerically, equal ones as 0', () => {
    assert.equal(compareValues(1n, 1), 0);
    assert.equal(compareValues(3, 2n), 1);
    assert.equal(compareValues(2n, 2.5), -1);
    assert.equal(compareValues(NaN, 5n), 1, 'NaN is larger than every number, as in Spark');
  });
});
