/**
 * The stream-static join (the lambda project's enrichment step): each batch joined with a table read from a bounded
 * source, here a JSON file, built from YAML like a job.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import { buildTestJob, StreamHarness } from '../streaming/harness.js';

let dir: string;
let harness: StreamHarness | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'streamlab-join-'));
  writeFileSync(
    join(dir, 'users.json'),
    '{"user": "ann", "country": "FR"}\n{"user": "bob", "country": "DE"}\n{"user": "bob", "country": "AT"}\n',
  );
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const users = () => ({ type: 'file', path: join(dir, 'users.json'), schema: { user: 'string', country: 'string' } });
const click = ([user, n]: [string | null, number]) => ({ user, n });

describe('join (stream-static)', () => {
  it('inner: stream rows with a match, once per match, with the static columns added', async () => {
    harness = new StreamHarness({
      schema: { user: 'string', n: 'long' },
      toRow: click,
      operators: [{ join: { with: users(), on: ['user'] } }],
    }).start();
    await harness.addData(['ann', 1], ['bob', 2], ['cid', 3], [null, 4]);
    assert.deepEqual(
      harness.lastBatch((r) => r),
      [
        { user: 'ann', n: 1, country: 'FR' },
        { user: 'bob', n: 2, country: 'DE' },
        { user: 'bob', n: 2, country: 'AT' },
      ],
    );
    assert.deepEqual(
      harness.built.plan.at(-2)!.schema.map((c) => c.name),
      ['user', 'n', 'country'],
    );
  });

  it('left: every stream row, nulls where nothing matches (a null key never matches)', async () => {
    harness = new StreamHarness({
      schema: { user: 'string', n: 'long' },
      toRow: click,
      operators: [{ join: { with: users(), on: ['user'], how: 'left' } }],
    }).start();
    await harness.addData(['cid', 3], [null, 4], ['ann', 1]);
    assert.deepEqual(
      harness.lastBatch((r) => r),
      [
        { user: 'cid', n: 3, country: null },
        { user: null, n: 4, country: null },
        { user: 'ann', n: 1, country: 'FR' },
      ],
    );
  });

  it('refreshInterval: the static side is read again once that much batch time has passed (virtual clock)', async () => {
    let now = Date.UTC(2024, 4, 1, 12);
    // Time passes only when the test says so; the waits between polls still run on the real clock.
    const clock: SchedulerLike = { now: () => now, schedule: asyncScheduler.schedule.bind(asyncScheduler) as SchedulerLike['schedule'] };
    harness = new StreamHarness({
      schema: { user: 'string', n: 'long' },
      toRow: click,
      operators: [{ join: { with: users(), on: ['user'], refreshInterval: '5 minutes' } }],
      scheduler: clock,
    }).start();
    await harness.addData(['ann', 1]);
    writeFileSync(join(dir, 'users.json'), '{"user": "ann", "country": "IT"}\n');
    now += 4 * 60_000;
    await harness.addData(['ann', 2]);
    now += 60_000;
    await harness.addData(['ann', 3]);
    assert.deepEqual(
      harness.newAnswer((r) => `${r.n} ${r.country}`),
      ['1 FR', '2 FR', '3 IT'],
    );
  });

  it('refuses a bad static side before anything runs, naming the option', () => {
    const refuse = (join: unknown, pattern: RegExp) =>
      assert.throws(
        () => buildTestJob(dir, { schema: { user: 'string', n: 'long' }, operators: [{ join }], outputMode: 'append' }),
        (error) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, pattern);
          return true;
        },
      );
    refuse({ with: { type: 'nope' }, on: ['user'] }, /operators\[0\]\.join\.with\.type: unknown source type 'nope' \(known: rate, /);
    refuse({ with: { type: 'file', schema: { user: 'string' } }, on: ['user'] }, /operators\[0\]\.join\.with\.path/);
    refuse({ with: { type: 'socket', port: 9999 }, on: ['user'] }, /'socket' is a live stream/);
    refuse({ with: users(), on: ['country'] }, /operators\[0\]\.join\.on\[0\]: unknown column 'country'/);
    refuse({ with: { ...users(), schema: { user: 'string', n: 'long' } }, on: ['user'] }, /column\(s\) n exist on both sides/);
  });
});
