import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { batchSlices } from '../../src/benchmark/measure/batches.js';
import { driveBatches } from '../../src/benchmark/measure/drive-direct.js';
import { freshnessBatches } from '../../src/benchmark/measure/freshness.js';
import { ServerSampler, withDescendants } from '../../src/benchmark/measure/server-resources.js';
import { serverPidsFor, startTicksOf } from '../../src/benchmark/measure/service-pids.js';
import { percentile, summarize } from '../../src/benchmark/measure/summary.js';
import type { BenchRun } from '../../src/benchmark/results.js';

describe('bench measurements: batches and freshness samples', () => {
  it('batch 0 is the warm-up of batchSize rows, then the measured rows, the last batch shorter', () => {
    assert.deepEqual(batchSlices(4, 10), [
      { batchId: 0, from: 0, count: 4, rowsThrough: 4 },
      { batchId: 1, from: 4, count: 4, rowsThrough: 8 },
      { batchId: 2, from: 8, count: 4, rowsThrough: 12 },
      { batchId: 3, from: 12, count: 2, rowsThrough: 14 },
    ]);
  });

  it('freshness samples are measured batches spread over the run, never the warm-up', () => {
    assert.deepEqual([...freshnessBatches(10, 3)], [2, 6, 9]);
    assert.deepEqual([...freshnessBatches(2, 5)], [1, 2], 'no more samples than measured batches');
    assert.deepEqual([...freshnessBatches(10, 0)], []);
  });

  it('a baseline or `none` run is timed as a query is: from the end of the warm-up write, row generation included', async () => {
    // Batch 1's rows take 40 ms to make and every write is instant: those 40 ms belong to the measured wall time, as
    // a query's getBatch does (drive-query.ts starts the clock when batch 0 ends); the write latencies exclude them.
    const busyUntil = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end) {}
    };
    const timings = await driveBatches(
      batchSlices(2, 4),
      (slice) => {
        if (slice.batchId === 1) busyUntil(40);
        return [];
      },
      async () => {},
      { batchWritten: () => {}, progress: () => {} },
    );
    assert.ok(timings.seconds >= 0.04, `wall time ${timings.seconds} s includes batch 1's row generation`);
    assert.deepEqual([timings.warmupRows, timings.measuredRows, timings.batchLatencyMs.length], [2, 4, 2]);
    assert.ok(
      timings.batchLatencyMs.every((ms) => ms < 40),
      'a write latency is the write alone',
    );
  });
});

describe('bench measurements: server processes from /proc', () => {
  let tree: ChildProcess;
  before(async () => {
    // A parent with a child, like PostgreSQL's postmaster and its backends.
    tree = spawn('sh', ['-c', 'sleep 30 & sleep 30; wait'], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
  after(() => {
    for (const pid of withDescendants([tree.pid!]).reverse()) {
      try {
        process.kill(pid);
      } catch {}
    }
  });

  it('finds the recorded PID in <services dir>/<service>/process.json, checks its start time, and its descendants', () => {
    const dir = makeTempDir('streamlab-services-');
    mkdirSync(join(dir, 'pg'));
    const pid = tree.pid!;
    writeFileSync(join(dir, 'pg', 'process.json'), JSON.stringify({ pid, startTicks: startTicksOf(pid) }));
    assert.deepEqual(serverPidsFor('pg', dir), [pid]);
    assert.deepEqual(serverPidsFor('pg', dir, [42]), [42], '--server-pid wins');
    assert.deepEqual(serverPidsFor('missing', dir), []);
    assert.deepEqual(serverPidsFor(undefined, dir), []);
    writeFileSync(join(dir, 'pg', 'process.json'), JSON.stringify({ pid, startTicks: '1' }));
    assert.deepEqual(serverPidsFor('pg', dir), [], 'a reused PID (another start time) is not the server');
    const family = withDescendants([pid]);
    assert.equal(family[0], pid);
    assert.equal(family.length, 3, `sh and its two sleeps: ${family.join(', ')}`);
  });

  it('samples CPU seconds and the peak RSS of the whole tree', async () => {
    const sampler = new ServerSampler([tree.pid!]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const used = sampler.stop();
    assert.ok(used);
    assert.equal(used.pids.length, 3);
    assert.ok(used.peakRssBytes > 3 * 100_000, `RSS of three processes: ${used.peakRssBytes}`);
    assert.ok(used.cpuSeconds >= 0 && used.cpuSeconds < 1, `idle sleeps use (almost) no CPU: ${used.cpuSeconds}`);
  });
});

function run(over: Partial<BenchRun>): BenchRun {
  return {
    target: 't',
    sink: 'memory',
    writer: 'sink',
    batchSize: 10,
    guarantee: 'none',
    repeat: 0,
    order: 0,
    startedAt: '2026-01-01T00:00:00.000Z',
    rows: 100,
    bytes: 1000,
    seconds: 1,
    rowsPerSecond: 100,
    mbPerSecond: 0.001,
    batchLatencyMs: [],
    freshnessMs: [],
    client: { cpuSeconds: 0.1, peakRssBytes: 1 },
    server: null,
    diskBytes: null,
    verification: { expectedRows: 110, expectedChecksum: 5, rows: 110, checksum: 5, ok: true },
    ...over,
  };
}

describe('bench measurements: the summary', () => {
  it('median, min and max over repeats; percentiles over every sample; ofBaseline from the medians', () => {
    const summary = summarize([
      run({ repeat: 0, rowsPerSecond: 100, batchLatencyMs: [1, 2, 3, 4], freshnessMs: [10] }),
      run({ repeat: 1, rowsPerSecond: 300, batchLatencyMs: [5, 6, 7, 8], freshnessMs: [30] }),
      run({ repeat: 2, rowsPerSecond: 200, batchLatencyMs: [9, 10], freshnessMs: [20], diskBytes: 7 }),
      run({ writer: 'baseline', rowsPerSecond: 400 }),
      run({ writer: 'baseline', rowsPerSecond: 800, repeat: 1 }),
    ]);
    const sink = summary.find((s) => s.writer === 'sink')!;
    assert.equal(sink.runs, 3);
    assert.deepEqual(sink.rowsPerSecond, { median: 200, min: 100, max: 300 });
    assert.deepEqual(sink.latencyMs, { p50: 5, p95: 10, p99: 10, max: 10 });
    assert.deepEqual(sink.freshnessMs, { p50: 20, max: 30 });
    assert.equal(sink.diskBytes, 7);
    assert.equal(sink.ofBaseline, 200 / 600);
    const baseline = summary.find((s) => s.writer === 'baseline')!;
    assert.equal(baseline.ofBaseline, null);
    assert.equal(baseline.freshnessMs, null);
  });

  it('a failed run leaves its configuration unverified; a configuration with no finished run has no summary', () => {
    const failed = run({ error: 'down', verification: { expectedRows: 1, expectedChecksum: 1, rows: 0, checksum: 0, ok: false } });
    const summary = summarize([run({}), failed, { ...failed, target: 'u' }]);
    assert.equal(summary.length, 1);
    assert.equal(summary[0].runs, 1);
    assert.equal(summary[0].verified, false);
  });

  it('nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile([], 50), 0);
  });
});
