import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PushBuffer } from '../../src/core/push-buffer.js';
import { RingBuffer } from '../../src/core/ring-buffer.js';

const row = (n: number) => ({ value: n });
const rows = (...ns: number[]) => ns.map(row);

describe('RingBuffer', () => {
  it('is first in, first out across growth and wrap-around', () => {
    const ring = new RingBuffer<number>(2);
    const expected: number[] = [];
    for (let n = 0; n < 100; n++) {
      ring.push(n);
      expected.push(n);
      if (n % 3 === 0) assert.equal(ring.shift(), expected.shift());
    }
    assert.equal(ring.size, expected.length);
    assert.deepEqual(ring.take(10), expected.splice(0, 10));
    assert.deepEqual(ring.take(1000), expected);
    assert.equal(ring.size, 0);
    assert.equal(ring.shift(), undefined);
  });
});

describe('PushBuffer', () => {
  it('a cut hands the waiting rows to a batch, (start, end] reads them, a commit frees them', () => {
    const buffer = new PushBuffer(10, 'block');
    assert.equal(buffer.cut(), null);
    for (const n of [1, 2, 3, 4]) buffer.push(row(n));
    assert.equal(buffer.cut(), 4);
    assert.deepEqual(buffer.rowsOf(0, 4), rows(1, 2, 3, 4));
    assert.equal(buffer.cut(), 4, 'nothing new: the same end');
    buffer.commit(4);
    assert.equal(buffer.size, 0);
  });

  it('dropOldest evicts only rows still waiting: a batch keeps every row it was given', () => {
    const buffer = new PushBuffer(2, 'dropOldest');
    for (const n of [1, 2]) buffer.push(row(n));
    assert.equal(buffer.cut(), 2);
    for (let n = 3; n <= 1000; n++) buffer.push(row(n)); // the producer overruns the buffer while the batch is written
    assert.deepEqual(buffer.rowsOf(0, 2), rows(1, 2));
    buffer.commit(2);
    assert.equal(buffer.cut(), 1000);
    assert.deepEqual(buffer.rowsOf(2, 1000), rows(999, 1000));
    assert.equal(buffer.droppedRows, 996);
  });

  it('dropNewest keeps what it has and counts the drops, also rows the producer rejected unbuilt', () => {
    const buffer = new PushBuffer(2, 'dropNewest');
    for (const n of [1, 2, 3]) buffer.push(row(n));
    assert.equal(buffer.accepting, false);
    buffer.reject();
    assert.equal(buffer.cut(), 2);
    assert.deepEqual(buffer.rowsOf(0, 2), rows(1, 2));
    assert.equal(buffer.droppedRows, 2);
    assert.equal(buffer.accepting, true, 'the cut made room');
  });

  it('a cut takes at most maxRows; closeAtLatest stops later cuts at the rows accepted by then', () => {
    const buffer = new PushBuffer(100, 'block');
    for (const n of [1, 2, 3, 4, 5]) buffer.push(row(n));
    assert.equal(buffer.cut(2), 2);
    buffer.closeAtLatest();
    buffer.push(row(6));
    assert.equal(buffer.cut(2), 4);
    assert.equal(buffer.cut(2), 5);
    assert.equal(buffer.cut(2), 5);
    assert.deepEqual(buffer.rowsOf(0, 5), rows(1, 2, 3, 4, 5), 'uncommitted cuts read together');
  });

  it('block: a producer that cannot pause loses the new row; one that can keeps rows in flight and resumes on a cut', async () => {
    const sampler = new PushBuffer(1, 'block');
    sampler.push(row(1));
    assert.equal(sampler.push(row(2)), false);
    assert.equal(sampler.droppedRows, 1);

    const socket = new PushBuffer(1, 'block', true);
    socket.push(row(1));
    assert.equal(socket.push(row(2)), true);
    assert.equal(socket.droppedRows, 0);
    let resumed = false;
    const waiting = socket.whenNotFull().then(() => (resumed = true));
    await Promise.resolve();
    assert.equal(resumed, false);
    socket.cut();
    await waiting;
    assert.equal(resumed, true);
  });
});
