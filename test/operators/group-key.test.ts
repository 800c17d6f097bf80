import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Value } from '../../src/core/row.js';
import { compareKeys, groupKey, parseKey } from '../../src/operators/aggregate/group-key.js';

describe('group keys', () => {
  const samples: Value[][] = [
    [],
    [null],
    ['a|b'],
    ['a', 'b'],
    ['', 'x:y', 'émoji 🦉'],
    [0, -1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY],
    [true, false, 12345678901234567890n],
    [new Date(Date.UTC(2024, 4, 1, 12)), { start: new Date(0), end: new Date(5000) }],
    [[1, 'two'], { nested: { deep: 'value|with|bars' } }],
  ];

  it('are injective: different key values never share a key', () => {
    const keys = samples.map((values) => groupKey(values));
    assert.equal(new Set(keys).size, keys.length);
    assert.notEqual(groupKey(['a|b']), groupKey(['a', 'b']));
    assert.equal(groupKey([0]), groupKey([-0]), '0 and -0 are one group, as in Spark');
  });

  it('parse back to the values (what a state file restores)', () => {
    for (const values of samples) assert.deepEqual(parseKey(groupKey(values)), values, groupKey(values));
  });

  it('order nulls first, numbers by value, windows by start', () => {
    const w = (s: number) => ({ start: new Date(s), end: new Date(s + 10) });
    const sorted = [
      [w(20), 'b'],
      [null, 'z'],
      [w(10), 'z'],
      [w(10), 'a'],
    ].sort(compareKeys);
    assert.deepEqual(sorted, [
      [null, 'z'],
      [w(10), 'a'],
      [w(10), 'z'],
      [w(20), 'b'],
    ]);
  });
});
