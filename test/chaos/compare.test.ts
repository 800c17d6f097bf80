import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compare, emptyTally } from './job-process.js';

/** The chaos suite's verdict must fail on loss, doubling and values the commits never promised. */
describe('chaos read-back comparison', () => {
  const tally = (expected: number, values: number[]) => {
    const t = { ...emptyTally('x'), expected };
    compare(values, t);
    return t;
  };

  it('passes each value from 0 exactly once', () => {
    const t = tally(4, [3, 1, 0, 2]);
    assert.deepEqual([t.found, t.duplicates, t.missing, t.unexpected, t.failures], [4, 0, 0, 0, []]);
  });

  it('counts a value written twice as a duplicate and fails', () => {
    const t = tally(3, [0, 1, 1, 2, 2, 2]);
    assert.deepEqual([t.duplicates, t.missing], [3, 0]);
    assert.deepEqual(t.failures, ['3 values written more than once']);
  });

  it('counts a committed value not found as missing and fails', () => {
    const t = tally(5, [0, 1, 4]);
    assert.deepEqual([t.duplicates, t.missing], [0, 2]);
    assert.deepEqual(t.failures, ['2 committed values missing']);
  });

  it('fails on values beyond the committed offsets and when nothing was committed', () => {
    assert.deepEqual(tally(2, [0, 1, 2]).failures, ['1 values beyond the committed offsets']);
    assert.deepEqual(tally(0, []).failures, ['nothing was committed']);
  });
});
