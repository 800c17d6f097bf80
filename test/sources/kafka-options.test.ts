/**
 * The kafka source without a broker: maxOffsetsPerTrigger's share per partition as Spark's rateLimit computes it, the
 * checkpoint offset form, and the options a job can get wrong.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asPartitionOffsets, offsetsOf, rateLimit } from '../../src/sources/kafka/offsets.js';
import { kafkaSourceOptions } from '../../src/sources/kafka/options.js';

describe('kafka source offsets', () => {
  it('rateLimit shares the limit in proportion to each backlog, never starves a partition, never passes the end', () => {
    // Backlogs 30, 10 of 40: 8 * 0.75 = 6, 8 * 0.25 = 2.
    assert.deepEqual(rateLimit(8, { t: { 0: 0, 1: 0 } }, { t: { 0: 30, 1: 10 } }, {}), { t: { 0: 6, 1: 2 } });
    // Backlogs 1000 and 1 of 1001: 10 * 1/1001 < 1 rounds up to 1 (Spark: "don't completely starve small partitions").
    assert.deepEqual(rateLimit(10, { t: { 0: 5, 1: 7 } }, { t: { 0: 1005, 1: 8 } }, {}), { t: { 0: 14, 1: 8 } });
    // A partition with nothing new keeps its end; a limit above the backlog reads everything.
    assert.deepEqual(rateLimit(100, { t: { 0: 3, 1: 4 } }, { t: { 0: 3, 1: 9 } }, {}), { t: { 0: 3, 1: 9 } });
    // A new partition starts at its earliest offset (fromNew).
    assert.deepEqual(rateLimit(4, { t: { 0: 0 } }, { t: { 0: 4, 1: 14 } }, { t: { 1: 10 } }), { t: { 0: 2, 1: 12 } });
  });

  it('writes topics by name and partitions by number, and refuses an offset of another shape', () => {
    const offsets = offsetsOf([
      { topic: 'b', partition: 10, offset: 1 },
      { topic: 'a', partition: 2, offset: 5 },
      { topic: 'b', partition: 2, offset: 7 },
    ]);
    assert.equal(JSON.stringify(offsets), '{"a":{"2":5},"b":{"2":7,"10":1}}');
    assert.throws(() => asPartitionOffsets(42, 'offsets/3'), /offsets\/3: expected Kafka offsets such as \{"topic":\{"0":42\}\}, found 42/);
    assert.throws(() => asPartitionOffsets({ t: { x: 1 } }, 'here'), /found \{"t":\{"x":1\}\}/);
  });
});

describe('kafka source options', () => {
  const problems = (options: unknown) => {
    const result = kafkaSourceOptions.safeParse(options);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it("takes Spark's forms: comma-separated topics, JSON text or YAML for assign and startingOffsets", () => {
    const parsed = kafkaSourceOptions.parse({ subscribe: 'a, b', startingOffsets: '{"a":{"0":-2}}' });
    assert.deepEqual(parsed.subscribe, ['a', 'b']);
    assert.deepEqual(parsed.startingOffsets, { a: { 0: -2 } });
    assert.equal(parsed.failOnDataLoss, true);
    assert.equal(parsed.includeHeaders, false);
    assert.equal(parsed.format, 'text');
    assert.deepEqual(kafkaSourceOptions.parse({ assign: { t: [0, 1] } }).assign, { t: [0, 1] });
    assert.deepEqual(kafkaSourceOptions.parse({ assign: '{"t":[2]}' }).assign, { t: [2] });
    assert.equal(kafkaSourceOptions.parse({ subscribe: 't' }).startingOffsets, 'latest');
  });

  it('names what is wrong', () => {
    assert.deepEqual(problems({}), [': say which topics to read: one of subscribe, subscribePattern, assign']);
    assert.deepEqual(problems({ subscribe: 'a', assign: { a: [0] } }), [
      ': give only one of subscribe, subscribePattern, assign (found subscribe and assign)',
    ]);
    assert.deepEqual(
      problems({ subscribePattern: '(' }).map((p) => p.split(':')[0]),
      ['subscribePattern'],
    );
    assert.deepEqual(problems({ assign: '{"t":0}' }), ['assign: expected JSON such as {"topicA":[0,1],"topicB":[2,4]}, found {"t":0}']);
    assert.deepEqual(problems({ subscribe: 't', startingOffsets: 'first' }).length, 1);
    assert.deepEqual(
      problems({ subscribe: 't', maxOffsetsPerTrigger: 0 }).map((p) => p.split(':')[0]),
      ['maxOffsetsPerTrigger'],
    );
    assert.deepEqual(
      problems({ subscribe: 't', bootstrapServers: 'nohost' }).map((p) => p.split(':')[0]),
      ['bootstrapServers.0'],
    );
  });
});
