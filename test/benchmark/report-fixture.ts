/**
 * A realistic BenchResults for the report's tests, built the way the runner shapes them: four targets (three with the
 * server's bulk path as a baseline, parquet without one), two batch sizes, three repeats, every raw sample, and one
 * run whose read-back came up short (mysql, 10000 rows per batch, repeat 1). Deterministic (a fixed-seed generator),
 * and validated against resultsSchema so it cannot drift from results.json v1.
 */
import { type BenchResults, type BenchRun, type BenchSummary, resultsSchema } from '../../src/benchmark/results.js';

interface TargetShape {
  target: string;
  sink: string;
  baseline?: string;
  /** rows/s of the sink and its baseline at 1000 and at 10000 rows per batch */
  sink1k: number;
  sink10k: number;
  base1k?: number;
  base10k?: number;
  server: boolean;
  disk: boolean;
  freshness: boolean;
}

const TARGETS: TargetShape[] = [
  {
    target: 'influxdb',
    sink: 'influxdb',
    baseline: 'hand-written line protocol',
    sink1k: 61_000,
    sink10k: 182_000,
    base1k: 88_000,
    base10k: 251_000,
    server: true,
    disk: true,
    freshness: true,
  },
  {
    target: 'mysql',
    sink: 'mysql',
    baseline: 'LOAD DATA LOCAL INFILE',
    sink1k: 38_000,
    sink10k: 71_000,
    base1k: 142_000,
    base10k: 204_000,
    server: true,
    disk: true,
    freshness: true,
  },
  {
    target: 'starrocks',
    sink: 'starrocks',
    baseline: 'bare Stream Load PUT',
    sink1k: 29_000,
    sink10k: 88_000,
    base1k: 41_000,
    base10k: 112_000,
    server: true,
    disk: false,
    freshness: false,
  },
  { target: 'parquet', sink: 'parquet', sink1k: 402_000, sink10k: 611_000, server: false, disk: true, freshness: false },
];

const BATCH_SIZES = [1000, 10_000];
const REPEATS = 3;
const ROWS = 100_000;
const BYTES_PER_ROW = 142;

/** A fixed-seed linear congruential generator: the same fixture on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low);
}

function makeRun(
  shape: TargetShape,
  writer: 'sink' | 'baseline',
  batchSize: number,
  repeat: number,
  order: number,
  rnd: () => number,
): BenchRun {
  const nominal =
    writer === 'sink' ? (batchSize === 1000 ? shape.sink1k : shape.sink10k) : batchSize === 1000 ? shape.base1k! : shape.base10k!;
  const rowsPerSecond = Math.round(nominal * (0.9 + rnd() * 0.2));
  const seconds = ROWS / rowsPerSecond;
  const batchMs = (batchSize / rowsPerSecond) * 1000;
  const batchLatencyMs = Array.from(
    { length: ROWS / batchSize },
    () => Math.round(batchMs * (0.7 + rnd() * 0.5 + (rnd() < 0.05 ? 2 : 0)) * 100) / 100,
  );
  const expectedRows = ROWS + batchSize;
  const expectedChecksum = (expectedRows * (expectedRows - 1)) / 2;
  const lossy = shape.target === 'mysql' && writer === 'sink' && batchSize === 10_000 && repeat === 1;
  const rows = lossy ? expectedRows - batchSize : expectedRows;
  const checksum = lossy ? expectedChecksum - 1_049_995_000 : expectedChecksum;
  return {
    target: shape.target,
    sink: shape.sink,
    writer,
    ...(writer === 'baseline' ? { baseline: shape.baseline } : {}),
    batchSize,
    guarantee: 'exactly-once',
    repeat,
    order,
    startedAt: new Date(Date.UTC(2026, 10, 30, 21, 0, repeat * 60 + order * 7)).toISOString(),
    rows: ROWS,
    bytes: ROWS * BYTES_PER_ROW,
    seconds,
    rowsPerSecond,
    mbPerSecond: (ROWS * BYTES_PER_ROW) / seconds / 1e6,
    batchLatencyMs,
    freshnessMs: shape.freshness && writer === 'sink' ? [0, 1, 2].map(() => Math.round(batchMs + 20 + rnd() * 80)) : [],
    client: { cpuSeconds: seconds * (0.6 + rnd() * 0.3), peakRssBytes: Math.round((140 + rnd() * 60) * 2 ** 20) },
    server: shape.server
      ? { cpuSeconds: seconds * (0.4 + rnd() * 0.5), peakRssBytes: Math.round((300 + rnd() * 200) * 2 ** 20), pids: [4242] }
      : null,
    diskBytes: shape.disk ? Math.round(ROWS * (shape.sink === 'parquet' ? 31 : 58) * (0.95 + rnd() * 0.1)) : null,
    verification: {
      expectedRows,
      expectedChecksum,
      rows,
      checksum,
      ok: !lossy,
      ...(lossy ? { message: '10000 rows lost: 100000 of 110000 read back from `sb_tsbs_cpu_17`; checksum 1049995000 short' } : {}),
    },
  };
}

function summarize(runs: BenchRun[]): BenchSummary[] {
  const keys = new Map<string, BenchRun[]>();
  for (const run of runs) {
    const key = `${run.target}|${run.writer}|${run.batchSize}|${run.guarantee}`;
    keys.set(key, [...(keys.get(key) ?? []), run]);
  }
  const spread = (values: number[]) => ({ median: quantile(values, 0.5), min: Math.min(...values), max: Math.max(...values) });
  const summaries = [...keys.values()].map((group): BenchSummary => {
    const [first] = group;
    const latency = group.flatMap((r) => r.batchLatencyMs);
    const freshness = group.flatMap((r) => r.freshnessMs);
    const disk = group.map((r) => r.diskBytes).filter((d): d is number => d !== null);
    return {
      target: first.target,
      sink: first.sink,
      writer: first.writer,
      batchSize: first.batchSize,
      guarantee: first.guarantee,
      runs: group.length,
      rowsPerSecond: spread(group.map((r) => r.rowsPerSecond)),
      mbPerSecond: spread(group.map((r) => r.mbPerSecond)),
      latencyMs: { p50: quantile(latency, 0.5), p95: quantile(latency, 0.95), p99: quantile(latency, 0.99), max: Math.max(...latency) },
      freshnessMs: freshness.length > 0 ? { p50: quantile(freshness, 0.5), max: Math.max(...freshness) } : null,
      ofBaseline: null,
      diskBytes: disk.length > 0 ? quantile(disk, 0.5) : null,
      verified: group.every((r) => r.verification.ok),
    };
  });
  for (const s of summaries) {
    const base = summaries.find(
      (b) => b.writer === 'baseline' && b.target === s.target && b.batchSize === s.batchSize && b.guarantee === s.guarantee,
    );
    if (s.writer === 'sink' && base) s.ofBaseline = s.rowsPerSecond.median / base.rowsPerSecond.median;
  }
  return summaries;
}

/** The fixture; `targets` replaces the four shapes' names (e.g. with a hostile one for the escaping test). */
export function benchResultsFixture(rename: Record<string, string> = {}): BenchResults {
  const rnd = random(20261130);
  const runs: BenchRun[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    // The runner rotates the order of sinks between repeats.
    const rotated = TARGETS.map((_, i) => TARGETS[(i + repeat) % TARGETS.length]).map((t) => ({
      ...t,
      target: rename[t.target] ?? t.target,
    }));
    for (const batchSize of BATCH_SIZES) {
      rotated.forEach((shape, order) => {
        runs.push(makeRun(shape, 'sink', batchSize, repeat, order, rnd));
        if (shape.baseline) runs.push(makeRun(shape, 'baseline', batchSize, repeat, order, rnd));
      });
    }
  }
  const results: BenchResults = {
    schemaVersion: 1,
    partial: false,
    startedAt: '2026-11-30T21:00:00.000Z',
    finishedAt: '2026-11-30T21:09:41.000Z',
    versions: { streamlab: '0.1.0', node: 'v20.19.2' },
    machine: {
      cpu: 'AMD EPYC 7B13',
      cores: 2,
      physicalCores: 1,
      memoryBytes: 8 * 2 ** 30,
      os: 'Debian GNU/Linux 12 (bookworm), kernel 6.1.0',
      arch: 'x64',
    },
    config: {
      name: 'sinks-shootout',
      workload: { name: 'tsbs-cpu', scale: 100 },
      rows: ROWS,
      batchSizes: BATCH_SIZES,
      repeat: REPEATS,
      guarantees: ['exactly-once'],
      baselines: true,
      targets: TARGETS.map((t) => ({
        target: rename[t.target] ?? t.target,
        sink: t.sink,
        options: t.sink === 'influxdb' ? { token: '***' } : {},
      })),
    },
    servers: [
      { sink: 'influxdb', version: 'InfluxDB 1.8.10', address: '127.0.0.1:8187' },
      { sink: 'mysql', version: 'MariaDB 10.11.6', address: '127.0.0.1:3307' },
      {
        sink: 'starrocks',
        version: null,
        address: '127.0.0.1:8030',
        note: 'StarRocks test peer (protocol-faithful Stream Load stand-in from test/): its figures are not a real StarRocks',
      },
      { sink: 'parquet', version: null, address: null },
    ],
    runs,
    summary: summarize(runs),
  };
  return resultsSchema.parse(results);
}
