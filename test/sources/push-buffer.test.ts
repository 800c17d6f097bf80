import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PushBuffer } from '../../src/core/push-buffer.js';

const row = (n: number) => ({ value: n });

describe('PushBuffer', () => {
  it('slices (start, end] by sequence number and drops rows once committed', () => {
    const buffer = new PushBuffer(10, 'block');
    for (const n of [1, 2, 3, 4]) buffer.push(row(n));
    assert.equal(buffer.latest, 4);
    assert.deepEqual(buffer.slice(0, 2), [row(1), row(2)]);
    buffer.commit(2);
    assert.equal(buffer.size, 2);
    assert.deepEqual(buffer.slice(2, 4), [row(3), row(4)]);
  });

  it('dropNewest keeps what it has and counts the drops', () => {
    const buffer = new PushBuffer(2, 'dropNewest');
    for (const n of [1, 2, 3]) buffer.push(row(n));
    assert.deepEqual(buffer.slice(0, buffer.latest), [row(1), row(2)]);
    assert.equal(buffer.droppedRows, 1);
  });

  it('dropOldest keeps the newest rows; unread dropped rows are skipped by offsets', () => {
    const buffer = new PushBuffer(2, 'dropOldest');
    for (const n of [1, 2, 3]) buffer.push(row(n));
    assert.equal(buffer.latest, 3);
    assert.deepEqual(buffer.slice(0, 3), [row(2), row(3)]);
    assert.equal(buffer.droppedRows, 1);
  });

  it('block: a producer that cannot pause loses the new row; one that can keeps rows in flight', async () => {
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
    assert.equal(resumed, false);
    socket.commit(2);
    await waiting;
    assert.equal(resumed, true);
  });
});
