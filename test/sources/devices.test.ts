/**
 * The lambda project's generators: antenna messages and the user metadata they refer to. Both are pure functions of
 * their offsets, so a replayed batch has the same messages, and every user id a message carries has a
 * user_metadata row when the provisioner was given as many users.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asyncScheduler, VirtualTimeScheduler } from 'rxjs';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import type { Source } from '../../src/core/source.js';
import { devicesSource } from '../../src/sources/devices/index.js';
import { DEVICE_APPS } from '../../src/sources/devices/messages.js';
import { deviceUsersSource } from '../../src/sources/devices/users-source.js';

async function open(definition: typeof devicesSource | typeof deviceUsersSource, options: object, metadata?: object): Promise<Source> {
  const source = definition.create(definition.options.parse(options) as never, {} as never);
  await source.open({ scheduler: asyncScheduler, logger: silentLogger, metadata: metadata as never });
  return source;
}

async function all(source: Source): Promise<Row[]> {
  const end = await source.latestOffset(null);
  return end === null ? [] : await source.getBatch(null, end);
}

describe('devices source', () => {
  it("has the original's fields and spreads each interval's messages evenly from start", async () => {
    const source = await open(devicesSource, { rows: 6, messagesPerInterval: 3, interval: '3s', start: '2026-11-30T13:00:00Z' });
    assert.deepEqual(
      source.schema.map((c) => `${c.name}:${c.type}`),
      ['timestamp:timestamp', 'id:string', 'antenna_id:string', 'app:string', 'bytes:long'],
    );
    const rows = await all(source);
    assert.deepEqual(
      rows.map((r) => (r.timestamp as Date).toISOString()),
      ['00', '01', '02', '03', '04', '05'].map((s) => `2026-11-30T13:00:${s}.000Z`),
    );
  });

  it('gives ids, antennas, apps and bytes in their ranges, and every user and antenna over enough messages', async () => {
    const rows = await all(await open(devicesSource, { rows: 5000, users: 7, antennas: 3 }));
    const ids = new Set(rows.map((r) => r.id));
    const antennas = new Set(rows.map((r) => r.antenna_id));
    assert.deepEqual(
      [...ids].sort(),
      [1, 2, 3, 4, 5, 6, 7].map((n) => `00000000-0000-0000-0000-00000000000${n}`),
    );
    assert.deepEqual(
      [...antennas].sort(),
      [1, 2, 3].map((n) => `550e8400-1234-1234-a716-00000000000${n}`),
    );
    assert.deepEqual(new Set(rows.map((r) => r.app)), new Set(DEVICE_APPS));
    for (const r of rows)
      assert.ok(Number.isInteger(r.bytes) && (r.bytes as number) >= 100 && (r.bytes as number) < 200_000, String(r.bytes));
    assert.equal((rows[0].timestamp as Date).toISOString(), '2026-11-30T00:00:00.000Z', 'bounded default start');
  });

  it('gives the same messages for the same offsets in any split, and in a second instance (replay)', async () => {
    const a = await open(devicesSource, { rows: 1000, users: 21 });
    const b = await open(devicesSource, { rows: 1000, users: 21 });
    const whole = await a.getBatch(null, 1000);
    const parts = [...(await b.getBatch(null, 300)), ...(await b.getBatch(300, 301)), ...(await b.getBatch(301, 1000))];
    assert.deepEqual(parts, whole);
  });

  it('live: event times start at the start time kept in the checkpoint, so a restart gives the first run its times', async () => {
    const scheduler = new VirtualTimeScheduler();
    const first = devicesSource.create(devicesSource.options.parse({ messagesPerInterval: 2 }), {} as never);
    const opened = await first.open({ scheduler, logger: silentLogger });
    const stored = (opened as { metadata: { startTimeMs: number } }).metadata;
    assert.equal(stored.startTimeMs, scheduler.now());
    const later = { startTimeMs: Date.parse('2026-11-30T08:00:00Z') };
    const restarted = await open(devicesSource, { messagesPerInterval: 2 }, later);
    const rows = await restarted.getBatch(null, 4);
    assert.deepEqual(
      rows.map((r) => (r.timestamp as Date).toISOString()),
      ['2026-11-30T08:00:00.000Z', '2026-11-30T08:00:00.500Z', '2026-11-30T08:00:01.000Z', '2026-11-30T08:00:01.500Z'],
    );
  });
});

describe('device-users source', () => {
  it("gives one user_metadata row per user: the original's names first, a quota each, the ids the devices send", async () => {
    const users = await all(await open(deviceUsersSource, { users: 22 }));
    assert.equal(users.length, 22);
    assert.deepEqual(users[0], {
      id: '00000000-0000-0000-0000-000000000001',
      name: 'andres',
      email: 'andres@example.com',
      quota: 60_000_000,
    });
    assert.deepEqual(users[21], {
      id: '00000000-0000-0000-0000-000000000022',
      name: 'paco22',
      email: 'paco22@example.com',
      quota: 100_000_000,
    });
    assert.equal(new Set(users.map((u) => u.email)).size, 22, 'emails are unique');
    const messages = await all(await open(devicesSource, { rows: 2000, users: 22 }));
    const known = new Set(users.map((u) => u.id));
    assert.ok(messages.every((m) => known.has(m.id)));
  });
});
