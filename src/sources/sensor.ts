import { z } from 'zod';
import { defineSource } from '../component/definition.js';
import { optionalTimestampOption } from '../component/generator-options.js';
import { durationOption } from '../component/options.js';
import { GeneratorSource } from '../core/generator-source.js';
import type { Offset, Row } from '../core/row.js';
import type { Schema } from '../core/schema.js';
import type { Source, SourceContext } from '../core/source.js';

/** Time of tick 0 in the bounded mode, unless `start` says otherwise. */
export const BOUNDED_START = '2024-01-01T00:00:00Z';

const options = z
  .strictObject({
    sensors: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(3)
      .describe('Number of simulated sensors; each gives one reading per interval, sensor_id 1..sensors.'),
    interval: durationOption('Time between two readings of a sensor.', { default: '1s', positive: true }),
    rows: z
      .number()
      .int()
      .positive()
      .max(1e12)
      .optional()
      .describe(
        'Bounded mode: this many readings in all, every one available at once, timestamps from `start` instead of the wall clock ' +
          '(row i: sensor i % sensors + 1 at tick floor(i / sensors)); an availableNow job ends after the last. Offsets then count ' +
          'rows, not ticks, so maxRowsPerBatch is met exactly. Unset: readings come with the wall clock, one tick per interval.',
      ),
    start: optionalTimestampOption(`Bounded mode (with rows only): time of the first tick, RFC 3339; default ${BOUNDED_START}.`),
  })
  .refine((o) => o.start === undefined || o.rows !== undefined, {
    message: 'start applies only with rows (the bounded mode); without rows the readings start at the wall clock',
    path: ['start'],
  });

export const SENSOR_SCHEMA: Schema = [
  { name: 'sensor_id', type: 'long' },
  { name: 'timestamp', type: 'timestamp' },
  { name: 'temperature', type: 'double' },
  { name: 'humidity', type: 'double' },
];

/** A deterministic number in [-1, 1) from integers (a 32-bit integer hash): "noise" that a replay reproduces exactly. */
export function noise(tick: number, sensor: number, channel: number): number {
  let h = Math.imul(tick ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(sensor + 1, 0xc2b2ae35) ^ Math.imul(channel + 1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 31 - 1;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * One reading: a slow daily-like wave per sensor plus a little noise, rounded to 0.01 like a real sensor.
 * temperature about 15..27 °C, humidity about 30..80 %, both pure functions of (tick, sensor).
 */
export function reading(tick: number, sensor: number): { temperature: number; humidity: number } {
  const temperature = 21 + 5 * Math.sin((2 * Math.PI * tick) / 360 + sensor) + 0.8 * noise(tick, sensor, 0);
  const humidity = 55 + 20 * Math.sin((2 * Math.PI * tick) / 600 + 2 * sensor) + 3 * noise(tick, sensor, 1);
  return { temperature: round2(temperature), humidity: round2(Math.min(100, Math.max(0, humidity))) };
}

/** The bounded mode's rows: row i is sensor i % sensors + 1 at tick floor(i / sensors), the order SensorSource gives. */
export function sensorRows(sensors: number, intervalMs: number, startMs: number): (from: number, to: number) => Row[] {
  return (from, to) => {
    const rows: Row[] = new Array(to - from);
    for (let i = from; i < to; ) {
      const tick = Math.floor(i / sensors);
      const timestamp = new Date(startMs + tick * intervalMs);
      for (let s = i - tick * sensors; s < sensors && i < to; s++, i++)
        rows[i - from] = { sensor_id: s + 1, timestamp, ...reading(tick, s) };
    }
    return rows;
  };
}

/**
 * The course's simulated humidity/temperature sensors (the StarRocks real-time demo). Tick n is due at
 * start + n * interval (n from 0) and holds one row per sensor. The offset is the number of ticks due, the start
 * time is kept in the checkpoint, and every value is a pure function of (tick, sensor): a replayed batch has exactly
 * the rows of its first attempt. With maxRowsPerBatch, a batch holds at most that many rows (whole ticks, at least one).
 */
export class SensorSource implements Source {
  readonly replayable = true;
  readonly schema = SENSOR_SCHEMA;
  readonly description: string;
  private startTimeMs = 0;
  private maxTicksPerBatch = Infinity;
  private context!: SourceContext;

  constructor(
    private readonly sensors: number,
    private readonly intervalMs: number,
  ) {
    this.description = `SensorSource(sensors=${sensors}, intervalMs=${intervalMs})`;
  }

  async open(context: SourceContext) {
    this.context = context;
    const stored = context.metadata as { startTimeMs?: number } | undefined;
    this.startTimeMs = stored?.startTimeMs ?? context.scheduler.now();
    if (context.maxRowsPerBatch !== undefined) this.maxTicksPerBatch = Math.max(1, Math.floor(context.maxRowsPerBatch / this.sensors));
    return { metadata: { startTimeMs: this.startTimeMs } };
  }

  latestOffset(start: Offset | null): Offset {
    const elapsed = this.context.scheduler.now() - this.startTimeMs;
    const due = elapsed < 0 ? 0 : Math.floor(elapsed / this.intervalMs) + 1;
    return Math.min(due, ((start as number | null) ?? 0) + this.maxTicksPerBatch);
  }

  getBatch(start: Offset | null, end: Offset): Row[] {
    const rows: Row[] = [];
    for (let tick = (start as number | null) ?? 0; tick < (end as number); tick++) {
      const timestamp = new Date(this.startTimeMs + tick * this.intervalMs);
      for (let s = 0; s < this.sensors; s++) rows.push({ sensor_id: s + 1, timestamp, ...reading(tick, s) });
    }
    return rows;
  }

  async stop(): Promise<void> {}
}

export const sensorSource = defineSource({
  type: 'sensor',
  // The live mode's offsets are ticks (sensors may change between runs); the bounded mode's are rows.
  offsetIdentity: (o) =>
    o.rows === undefined
      ? { interval: o.interval }
      : { interval: o.interval, offsets: 'rows', sensors: o.sensors, start: boundedStart(o.start) },
  summary:
    'Simulated humidity/temperature sensors (the StarRocks demo): one reading per sensor per interval, values a pure function of the tick. Replayable; bounded with `rows`.',
  options,
  examples: [{}, { sensors: 10, interval: '5s' }, { rows: 100_000, sensors: 10 }, { rows: 600, start: '2024-06-01T12:00:00Z' }],
  create: (o) =>
    o.rows === undefined ? new SensorSource(o.sensors, o.interval) : boundedSensorSource(o.sensors, o.interval, o.rows, o.start),
});

/** The bounded mode's tick 0, epoch ms: `start`, else BOUNDED_START. */
export const boundedStart = (start: number | undefined) => start ?? Date.parse(BOUNDED_START);

function boundedSensorSource(sensors: number, intervalMs: number, rows: number, start: number | undefined): Source {
  const startMs = boundedStart(start);
  const description = `SensorSource(sensors=${sensors}, intervalMs=${intervalMs}, rows=${rows}, start=${new Date(startMs).toISOString()})`;
  return new GeneratorSource(description, SENSOR_SCHEMA, sensorRows(sensors, intervalMs, startMs), { kind: 'all', rows });
}
