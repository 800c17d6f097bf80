/**
 * What the sensor jobs must leave in their table after a crash and a restart: every reading exactly once, each equal
 * to what the sensor source computes for its tick and sensor (shared by the sensor-mysql and sensor-starrocks tests).
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import assert from 'node:assert/strict';
import { reading } from '../../src/sources/sensor.js';

export type SensorRow = { sensor_id: number; ts: Date; temperature: number; humidity: number };

/** Checks that `rows` are ticks 0..n-1 of `sensors` sensors every `intervalMs`, each once, with the source's values. */
export function assertEveryReadingOnce(rows: SensorRow[], sensors: number, intervalMs: number): number {
  assert.ok(rows.length > 0, 'some rows');
  const start = Math.min(...rows.map((r) => r.ts.getTime()));
  const sorted = [...rows].sort((a, b) => a.ts.getTime() - b.ts.getTime() || a.sensor_id - b.sensor_id);
  const ticks = sorted.length / sensors;
  assert.ok(Number.isInteger(ticks), `${sorted.length} rows are whole ticks of ${sensors} sensors`);
  const expected = [];
  for (let tick = 0; tick < ticks; tick++) {
    for (let s = 0; s < sensors; s++) expected.push({ sensor_id: s + 1, ts: new Date(start + tick * intervalMs), ...reading(tick, s) });
  }
  assert.deepEqual(
    sorted.map((r) => ({ ...r })),
    expected,
  );
  return ticks;
}
