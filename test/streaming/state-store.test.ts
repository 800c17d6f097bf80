import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { RuntimeError } from '../../src/core/errors.js';
import { decodeState, encodeState, type StateValue } from '../../src/core/state/codec.js';
import { StateStore } from '../../src/core/state/state-store.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'streamlab-state-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const contents = (store: StateStore) => Object.fromEntries([...store.entries()].sort(([a], [b]) => a.localeCompare(b)));

describe('state codec', () => {
  it('round-trips dates, byte arrays, bigints, nested values and objects that look like tags', () => {
    const value: StateValue = {
      when: new Date(Date.UTC(2024, 4, 1, 12)),
      sketch: new Uint8Array([0, 1, 255]),
      big: 12345678901234567890n,
      list: [1, 'two', null, { $d: 5 }],
      nested: { $u8: 'not bytes' },
    };
    const back = decodeState(JSON.parse(JSON.stringify(encodeState(value))));
    assert.deepEqual(back, value);
  });
});

describe('StateStore', () => {
  it('a version is what the batches up to it put and removed; later files are ignored', async () => {
    const store = new StateStore(dir);
    await store.load(-1);
    store.put('a', 1);
    store.put('b', 2);
    await store.commit(0);
    store.put('a', 10);
    store.remove('b');
    store.put('c', 3);
    await store.commit(1);
    store.put('d', 4);
    await store.commit(2); // as if batch 2 crashed before its commits entry

    const reloaded = new StateStore(dir);
    await reloaded.load(1);
    assert.deepEqual(contents(reloaded), { a: 10, c: 3 });
    await reloaded.load(0);
    assert.deepEqual(contents(reloaded), { a: 1, b: 2 });
    await reloaded.load(-1);
    assert.equal(reloaded.size, 0);
    assert.deepEqual(store.lastCommit(), { updated: 1, removed: 0 });
  });

  it('writes a snapshot every `snapshotEvery` versions and loads from it; keeps what `retain` versions need', async () => {
    const store = new StateStore(dir, { snapshotEvery: 3, retain: 4 });
    await store.load(-1);
    for (let v = 0; v <= 10; v++) {
      store.put(`k${v % 4}`, v);
      if (v % 5 === 4) store.remove('k0');
      await store.commit(v);
    }
    const files = readdirSync(dir).sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
    assert.ok(files.includes('9.snapshot') && files.includes('6.snapshot'), files.join(' '));
    assert.ok(!files.includes('3.snapshot') && !files.includes('2.delta'), `old files removed: ${files.join(' ')}`);
    for (const v of [7, 8, 9, 10]) {
      const fresh = new StateStore(dir);
      await fresh.load(v);
      const expected = new StateStore(join(dir, 'replay'));
      await expected.load(-1);
      for (let u = 0; u <= v; u++) {
        expected.put(`k${u % 4}`, u);
        if (u % 5 === 4) expected.remove('k0');
      }
      assert.deepEqual(contents(fresh), contents(expected), `version ${v}`);
    }
    // Without its delta, version 8 still loads from the snapshot at 6 plus 7 and 8, but not if 7.delta is gone.
    unlinkSync(join(dir, '7.delta'));
    const broken = new StateStore(dir);
    await assert.rejects(broken.load(8), (error) => {
      assert.ok(error instanceof RuntimeError);
      assert.match(error.message, /cannot be restored to batch 8: .*missing.*new checkpointLocation/s);
      return true;
    });
    await broken.load(9); // the snapshot at 9 covers it
  });

  it('refuses versions out of order, and names a damaged file', async () => {
    const store = new StateStore(dir);
    await store.load(-1);
    await assert.rejects(store.commit(3), /commit of version 3 after version -1/);
    await store.commit(0);
    writeFileSync(join(dir, '1.delta'), 'v1\n{"key": "a", "value": \n');
    await assert.rejects(
      new StateStore(dir).load(1),
      new RegExp(`state file ${join(dir, '1.delta').replace(/[/.]/g, '\\$&')}:2 is damaged`),
    );
  });
});
