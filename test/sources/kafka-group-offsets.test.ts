/** The group mode's offsets/N shape and the claims it writes in the group's commit metadata (no broker needed). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asGroupBatchOffset, decodeClaim, encodeClaim, groupBatchOffset, rangesOf } from '../../src/sources/kafka/group-offsets.js';

describe('kafka group offsets and claims', () => {
  it('a batch names its ranges in full, topics and partitions in order, and reads back the same', () => {
    const ranges = [
      { topic: 'b', partition: 1, from: 5, until: 9 },
      { topic: 'a', partition: 10, from: 0, until: 3 },
      { topic: 'a', partition: 2, from: 7, until: 8 },
    ];
    const offset = groupBatchOffset('g', 'm1', 4, ranges);
    assert.equal(JSON.stringify(offset), '{"group":"g","member":"m1","batch":4,"ranges":{"a":{"2":[7,8],"10":[0,3]},"b":{"1":[5,9]}}}');
    assert.deepEqual(asGroupBatchOffset(JSON.parse(JSON.stringify(offset)), 'x'), offset);
    assert.deepEqual(rangesOf(offset), [
      { topic: 'a', partition: 2, from: 7, until: 8 },
      { topic: 'a', partition: 10, from: 0, until: 3 },
      { topic: 'b', partition: 1, from: 5, until: 9 },
    ]);
  });

  it('a checkpoint of a job without group is named as such', () => {
    assert.equal(asGroupBatchOffset(null, 'x'), null);
    assert.throws(() => asGroupBatchOffset({ t: { '0': 4 } }, 'kafka source: the last committed offset'), {
      message:
        /kafka source: the last committed offset: expected a group batch .* found \{"t":\{"0":4\}\} \(a checkpoint written without group: use a new checkpointLocation\)/,
    });
  });

  it('claims round-trip; metadata that is not ours (another tool, none, damaged) counts as done', () => {
    const intent = { kind: 'intent' as const, member: 'm1', batch: 3, until: 120 };
    assert.equal(encodeClaim(intent), 'streamlab:{"kind":"intent","member":"m1","batch":3,"until":120}');
    assert.deepEqual(decodeClaim(encodeClaim(intent)), intent);
    assert.deepEqual(decodeClaim(encodeClaim({ kind: 'done' })), { kind: 'done' });
    for (const other of [null, undefined, '', 'consumer-metadata', 'streamlab:{not json'])
      assert.deepEqual(decodeClaim(other), { kind: 'done' });
  });
});
