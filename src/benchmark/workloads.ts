/**
 * The bench's workloads, each a registered generator source (tsbs-cpu, wide, sensor in its bounded mode). `rows()`
 * calls the very function the source's getBatch calls, with the options the source's schema gives the workload's
 * `source:` block (defaults included), so the bench's expected rows and baselines are the source's rows by
 * construction, not by a second implementation kept in step.
 */
import type { Row } from '../core/row.js';
import { boundedStart, SENSOR_SCHEMA, sensorRows, sensorSource } from '../sources/sensor.js';
import { TSBS_TAG_KEYS } from '../sources/tsbs-cpu/hosts.js';
import { tsbsCpuSource } from '../sources/tsbs-cpu/index.js';
import { TSBS_CPU_SCHEMA, tsbsCpuRows } from '../sources/tsbs-cpu/rows.js';
import { wideSource } from '../sources/wide/index.js';
import { WIDE_SCHEMA, wideRows } from '../sources/wide/rows.js';
import type { Workload } from './workload.js';

type Generator = (from: number, to: number) => Row[];

/** One generator per scale, made on first use and kept: generators cache per-host work (tags, knots). */
function perScale(make: (scale: number) => Generator): (from: number, count: number, scale: number) => Row[] {
  const made = new Map<number, Generator>();
  return (from, count, scale) => {
    let generate = made.get(scale);
    if (!generate) made.set(scale, (generate = make(scale)));
    return generate(from, from + count);
  };
}

const tsbsCpu: Workload = {
  name: 'tsbs-cpu',
  summary: "TSBS's cpu-only use case: 10 tags and 10 usage_* fields (whole numbers 0..100) per host every 10 s from 2016-01-01",
  scaleMeaning: 'hosts',
  defaultScale: 4000,
  source: (rows, scale) => ({ type: 'tsbs-cpu', rows, scale }),
  schema: TSBS_CPU_SCHEMA,
  checksumColumn: 'usage_user',
  keyColumns: [...TSBS_TAG_KEYS],
  timeColumn: 'timestamp',
  rows: perScale((scale) => {
    const o = tsbsCpuSource.options.parse({ rows: 1, scale });
    return tsbsCpuRows({ scale: o.scale, intervalMs: o.interval, startMs: o.start });
  }),
};

const wide: Workload = {
  name: 'wide',
  summary: '50 columns of every scalar type (long, double, string, boolean, timestamp) per device every second',
  scaleMeaning: 'devices',
  defaultScale: 100,
  source: (rows, scale) => ({ type: 'wide', rows, scale }),
  schema: WIDE_SCHEMA,
  checksumColumn: 'long_00',
  keyColumns: ['device'],
  timeColumn: 'timestamp',
  rows: perScale((scale) => {
    const o = wideSource.options.parse({ rows: 1, scale });
    return wideRows({ scale: o.scale, intervalMs: o.interval, startMs: o.start });
  }),
};

const sensor: Workload = {
  name: 'sensor',
  summary: "The course's sensor readings (sensor_id, timestamp, temperature, humidity), one per sensor every second",
  scaleMeaning: 'sensors',
  defaultScale: 3,
  source: (rows, scale) => ({ type: 'sensor', rows, sensors: scale }),
  schema: SENSOR_SCHEMA,
  // The only whole-number column: every row adds at least 1, so a lost or doubled row always moves the sum.
  checksumColumn: 'sensor_id',
  keyColumns: ['sensor_id'],
  timeColumn: 'timestamp',
  rows: perScale((scale) => {
    const o = sensorSource.options.parse({ rows: 1, sensors: scale });
    return sensorRows(o.sensors, o.interval, boundedStart(o.start));
  }),
};

export const WORKLOADS: readonly Workload[] = [tsbsCpu, wide, sensor];

export function findWorkload(name: string): Workload | undefined {
  return WORKLOADS.find((w) => w.name === name);
}
