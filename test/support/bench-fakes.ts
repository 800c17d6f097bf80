/**
 * Stand-ins for the parts of `streamlab bench` that the CLI tests do not exercise: bench targets that connect to
 * nothing (their sinks' real option schemas are still used), workloads that generate nothing, and hand-made
 * results.json content. The end-to-end bench against the real servers is the lead's test once everything is merged.
 */
import type { BenchRun, BenchResults, BenchSummary } from '../../src/benchmark/results.js';
import type { BenchTarget } from '../../src/benchmark/target.js';
import type { Workload } from '../../src/benchmark/workload.js';

const neverOpened = async (): Promise<never> => {
  throw new Error('a fake bench target is never opened');
};

export const fakeTargets: BenchTarget[] = [
  { sink: 'influxdb', profile: 'influxdb', service: 'influxdb18', open: neverOpened },
  { sink: 'cassandra', profile: 'cassandra', service: 'cassandra', open: neverOpened },
  { sink: 'mysql', profile: 'mysql', service: 'mariadb', open: neverOpened },
  { sink: 'starrocks', profile: 'starrocks', service: 'starrocks', open: neverOpened },
  { sink: 'parquet', defaults: { compression: 'snappy' }, open: neverOpened },
  { sink: 'file', open: neverOpened },
];

function fakeWorkload(name: string, defaultScale: number): Workload {
  return {
    name,
    summary: `fake ${name}`,
    defaultScale,
    source: (rows) => ({ type: 'rate', rowsPerSecond: rows }),
    schema: [{ name: 'value', type: 'long' }],
    checksumColumn: 'value',
    keyColumns: [],
    timeColumn: 'timestamp',
    rows: () => [],
  };
}

export const fakeWorkloads: Workload[] = [fakeWorkload('tsbs-cpu', 100), fakeWorkload('sensor', 10), fakeWorkload('wide', 1)];

export function run(over: Partial<BenchRun> = {}): BenchRun {
  const rows = over.rows ?? 1000;
  return {
    target: 'mysql',
    sink: 'mysql',
    writer: 'sink',
    batchSize: 100,
    guarantee: 'exactly-once',
    repeat: 0,
    order: 0,
    startedAt: '2026-11-30T22:00:00.000Z',
    rows,
    bytes: rows * 100,
    seconds: 1,
    rowsPerSecond: rows,
    mbPerSecond: (rows * 100) / 1e6,
    batchLatencyMs: [10, 12, 14, 30],
    freshnessMs: [20],
    client: { cpuSeconds: 0.5, peakRssBytes: 1e8 },
    server: null,
    diskBytes: 2_000_000,
    verification: { expectedRows: rows + 100, expectedChecksum: 5, rows: rows + 100, checksum: 5, ok: true },
    ...over,
  };
}

export function summary(over: Partial<BenchSummary> & { rps?: [number, number, number] } = {}): BenchSummary {
  const { rps = [1000, 900, 1100], ...rest } = over;
  return {
    target: 'mysql',
    sink: 'mysql',
    writer: 'sink',
    batchSize: 100,
    guarantee: 'exactly-once',
    runs: 3,
    rowsPerSecond: { median: rps[0], min: rps[1], max: rps[2] },
    mbPerSecond: { median: rps[0] / 10_000, min: rps[1] / 10_000, max: rps[2] / 10_000 },
    latencyMs: { p50: 12, p95: 30, p99: 30, max: 30 },
    freshnessMs: { p50: 20, max: 20 },
    ofBaseline: 0.5,
    diskBytes: 2_000_000,
    verified: true,
    ...rest,
  };
}

export function results(over: Partial<BenchResults> = {}): BenchResults {
  return {
    schemaVersion: 1,
    partial: false,
    startedAt: '2026-11-30T22:00:00.000Z',
    finishedAt: '2026-11-30T22:01:00.000Z',
    versions: { streamlab: '0.1.0', node: 'v20.20.2' },
    machine: { cpu: 'test CPU', cores: 2, physicalCores: 2, memoryBytes: 8e9, os: 'Debian', arch: 'x64' },
    config: {
      workload: { name: 'tsbs-cpu', scale: 100 },
      rows: 1000,
      batchSizes: [100],
      repeat: 3,
      guarantees: ['exactly-once'],
      baselines: true,
      targets: [{ target: 'mysql', sink: 'mysql', options: {} }],
    },
    servers: [{ sink: 'mysql', version: 'MariaDB 10.11.6', address: '127.0.0.1:3307' }],
    runs: [run()],
    summary: [summary()],
    ...over,
  };
}
