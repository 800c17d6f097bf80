import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import type { BenchEvent, BenchPlan } from '../../src/benchmark/plan.js';
import type { BenchTarget } from '../../src/benchmark/target.js';
import { resultsSchema, type BenchRun } from '../../src/benchmark/results.js';
import { runBench } from '../../src/benchmark/runner.js';
import { memoryTarget } from '../../src/benchmark/targets/memory.js';
import { ConfigError } from '../../src/core/errors.js';
import { memoryTable } from '../../src/sinks/memory/index.js';
import { fileWorkload } from './file-workload.js';
import { doublingTarget, failingTarget, faithfulTarget, losingTarget } from './test-targets.js';

const BATCH = 5;
const ROWS = 20;
/** The file workload's rows: value = (offset * 7) % 101, all offsets (the warm-up batch included). */
const expectedChecksum = (total: number) => Array.from({ length: total }, (_, i) => (i * 7) % 101).reduce((a, b) => a + b, 0);

function plan(over: Partial<BenchPlan> = {}): BenchPlan {
  return {
    workload: { name: 'test-file', scale: 1 },
    rows: ROWS,
    batchSizes: [BATCH],
    repeat: 1,
    guarantees: ['exactly-once'],
    baselines: false,
    targets: [{ target: 'memory', sink: 'memory', options: {} }],
    freshnessSamples: 2,
    keep: false,
    reportDir: tmpdir(),
    env: process.env,
    cwd: process.cwd(),
    ...over,
  };
}

const workloads = [fileWorkload(BATCH)];

function assertMeasuredAndVerified(run: BenchRun) {
  assert.equal(run.error, undefined, run.error);
  assert.equal(run.rows, ROWS, 'the warm-up batch is not counted');
  assert.equal(run.batchLatencyMs.length, ROWS / BATCH, 'one latency per measured batch, none for the warm-up');
  for (const ms of run.batchLatencyMs) assert.ok(ms >= 0 && Number.isFinite(ms));
  assert.ok(run.seconds > 0 && run.rowsPerSecond > 0 && run.mbPerSecond > 0);
  assert.ok(run.bytes > 0);
  assert.deepEqual(run.verification, {
    expectedRows: ROWS + BATCH,
    expectedChecksum: expectedChecksum(ROWS + BATCH),
    rows: ROWS + BATCH,
    checksum: expectedChecksum(ROWS + BATCH),
    ok: true,
  });
  assert.ok(run.freshnessMs.length >= 1 && run.freshnessMs.length <= 2, `freshness samples: ${run.freshnessMs.length}`);
  assert.ok(run.client.cpuSeconds > 0 && run.client.peakRssBytes > 0);
  assert.equal(run.server, null, 'the memory target has no server process');
}

describe('runBench on the memory target', () => {
  it('exactly-once through a StreamingQuery: verified, every raw sample, results valid, destinations dropped', async () => {
    const events: BenchEvent[] = [];
    const names: string[] = [];
    const results = await runBench(plan(), { targets: [spiedMemoryTarget(names)], workloads, onEvent: (e) => events.push(e) });
    assert.doesNotThrow(() => resultsSchema.parse(results));
    assert.equal(results.partial, false);
    assert.equal(results.runs.length, 1);
    const [run] = results.runs;
    assert.equal(run.guarantee, 'exactly-once');
    assertMeasuredAndVerified(run);
    assert.equal(run.bytes, Buffer.byteLength(csvOf(BATCH, ROWS)), 'bytes: CSV text of the measured rows only');
    const [summary] = results.summary;
    assert.equal(summary.verified, true);
    assert.equal(summary.runs, 1);
    assert.equal(summary.ofBaseline, null);
    assert.equal(summary.rowsPerSecond.median, run.rowsPerSecond);
    assert.equal(summary.latencyMs.max, Math.max(...run.batchLatencyMs));
    assert.deepEqual(
      events.filter((e) => e.type !== 'run-progress').map((e) => e.type),
      ['run-start', 'run-end'],
    );
    const progress = events.filter((e) => e.type === 'run-progress');
    assert.equal(progress.length, 1 + ROWS / BATCH, 'one progress event per batch');
    assert.deepEqual(progress.at(-1) && { done: progress.at(-1)!.rowsDone, total: progress.at(-1)!.totalRows }, { done: 25, total: 25 });
    assert.equal(names.length, 1);
    assert.match(names[0], /^sb_test_file_[a-z0-9]+_1$/, 'destination named sb_<workload>_<token>_<n>');
    assert.equal(memoryTable(names[0]).length, 0, 'dropped after read-back');
    assert.equal(results.versions.node, process.version);
    assert.ok(results.machine.cores > 0 && results.machine.memoryBytes > 0 && results.machine.cpu.length > 0);
  });

  it('guarantee none drives the same sink directly, batch by batch, with the same checks', async () => {
    const results = await runBench(plan({ guarantees: ['none'] }), { targets: [memoryTarget], workloads });
    assert.equal(results.partial, false);
    assert.equal(results.runs[0].guarantee, 'none');
    assertMeasuredAndVerified(results.runs[0]);
  });

  it('rotates the targets between repeats (repeat r starts at target r mod n)', async () => {
    const targets = ['a', 'b', 'c'].map((t) => ({ target: `memory ${t}`, sink: 'memory', options: {} }));
    const results = await runBench(plan({ targets, repeat: 3, freshnessSamples: 0 }), { targets: [memoryTarget], workloads });
    const orderOf = (repeat: number) =>
      results.runs
        .filter((r) => r.repeat === repeat)
        .sort((x, y) => x.order - y.order)
        .map((r) => r.target.slice(-1));
    assert.deepEqual(
      [orderOf(0), orderOf(1), orderOf(2)],
      [
        ['a', 'b', 'c'],
        ['b', 'c', 'a'],
        ['c', 'a', 'b'],
      ],
    );
    assert.ok(results.runs.every((r) => r.verification.ok && r.freshnessMs.length === 0));
    assert.equal(results.summary.length, 3);
    assert.ok(results.summary.every((s) => s.runs === 3 && s.verified));
  });

  it('a faithful baseline runs after the sink on the same rows, verified, and gives ofBaseline', async () => {
    const results = await runBench(plan({ baselines: true }), { targets: [faithfulTarget], workloads });
    assert.deepEqual(
      results.runs.map((r) => [r.writer, r.baseline, r.verification.ok]),
      [
        ['sink', undefined, true],
        ['baseline', 'faithful copy', true],
      ],
    );
    for (const run of results.runs) assertMeasuredAndVerified(run);
    const sink = results.summary.find((s) => s.writer === 'sink')!;
    const baseline = results.summary.find((s) => s.writer === 'baseline')!;
    assert.equal(sink.ofBaseline, sink.rowsPerSecond.median / baseline.rowsPerSecond.median);
    assert.deepEqual(results.servers, [{ sink: 'memory', version: 'test 1.0', address: null }]);
  });
});

describe('runBench verification catches a lossy writer', () => {
  it('a writer that drops a row: "lost 1 row", checksum named, not verified', async () => {
    const results = await runBench(plan({ baselines: true }), { targets: [losingTarget], workloads });
    const lossy = results.runs.find((r) => r.writer === 'baseline')!;
    const lostValue = (3 * BATCH * 7) % 101; // the first row of batch 3, offset 15
    assert.equal(lossy.verification.ok, false);
    assert.equal(
      lossy.verification.message,
      `lost 1 row of 25; checksum differs by ${-lostValue} (read back ${expectedChecksum(25) - lostValue}, expected ${expectedChecksum(25)})`,
    );
    assert.equal(results.summary.find((s) => s.writer === 'baseline')!.verified, false);
    assert.equal(results.summary.find((s) => s.writer === 'sink')!.verified, true, "the sink's own run is unaffected");
    assert.equal(results.partial, false, 'a verification failure is a result, not an interruption');
  });

  it('a writer that writes a batch twice: "5 rows doubled"', async () => {
    const results = await runBench(plan({ baselines: true }), { targets: [doublingTarget], workloads });
    const doubled = results.runs.find((r) => r.writer === 'baseline')!;
    assert.equal(doubled.verification.ok, false);
    assert.match(doubled.verification.message ?? '', /^5 rows doubled \(read back 30 of 25\); checksum differs by \d+/);
  });
});

describe('runBench keeps what it measured', () => {
  it('Ctrl-C mid-run: the query stops gracefully, the run is marked interrupted, the results partial', async () => {
    const controller = new AbortController();
    const onEvent = (e: BenchEvent) => {
      if (e.type === 'run-progress' && e.rowsDone >= 2 * BATCH) controller.abort();
    };
    const targets = ['a', 'b'].map((t) => ({ target: `memory ${t}`, sink: 'memory', options: {} }));
    const results = await runBench(plan({ targets, rows: 200 }), {
      targets: [memoryTarget],
      workloads,
      signal: controller.signal,
      onEvent,
    });
    assert.equal(results.partial, true);
    assert.equal(results.runs.length, 1, 'no run starts after Ctrl-C');
    const [run] = results.runs;
    assert.match(run.error ?? '', /interrupted/);
    assert.equal(run.verification.ok, false);
    assert.match(run.verification.message ?? '', /^not verified: interrupted after \d+ of 41 batches/);
    assert.ok(run.rows >= BATCH && run.rows < 200, `measured rows before the stop: ${run.rows}`);
    assert.equal(run.batchLatencyMs.length, run.rows / BATCH);
    assert.doesNotThrow(() => resultsSchema.parse(results));
  });

  it('a server that goes down mid-bench: its runs record the error, the other target still runs', async () => {
    const targets = [
      { target: 'memory down', sink: 'memory', options: {} },
      { target: 'memory up', sink: 'memory', options: {} },
    ];
    // One target per sink type in opts.targets: the failing one stands for both configurations here, healthy twice.
    const results = await runBench(plan({ targets, repeat: 2, freshnessSamples: 0 }), { targets: [failingTarget(2)], workloads });
    assert.equal(results.partial, true);
    assert.equal(results.runs.length, 4);
    assert.deepEqual(
      results.runs.map((r) => r.error === undefined),
      [true, true, false, false],
    );
    assert.match(results.runs[2].error ?? '', /ECONNREFUSED 127\.0\.0\.1:9/);
    assert.equal(results.runs[2].verification.ok, false);
    assert.ok(
      results.summary.every((s) => s.runs === 1 && !s.verified),
      'each configuration kept its one good run, marked unverified',
    );
  });

  it('setup problems throw before anything runs, naming what is wrong', async () => {
    await assert.rejects(runBench(plan({ workload: { name: 'nope', scale: 1 } }), { targets: [memoryTarget], workloads }), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /unknown workload 'nope' \(known: test-file\)/);
      return true;
    });
    const badOption = plan({ targets: [{ target: 'memory', sink: 'memory', options: { tabel: 'x' } }] });
    await assert.rejects(runBench(badOption, { targets: [memoryTarget], workloads }), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /bench target 'memory'/);
      assert.match(error.message, /sink\.tabel/);
      return true;
    });
    const unknownSink = plan({ targets: [{ target: 'influx', sink: 'influxdb', options: {} }] });
    await assert.rejects(
      runBench(unknownSink, { targets: [memoryTarget], workloads }),
      /no bench target for sink 'influxdb' \(known: memory\)/,
    );
  });
});

/** The memory target, remembering the destinations it prepared. */
function spiedMemoryTarget(names: string[]): BenchTarget {
  return {
    ...memoryTarget,
    async open(connection) {
      const session = await memoryTarget.open(connection);
      return {
        ...session,
        prepare: async (spec) => {
          names.push(spec.name);
          return session.prepare(spec);
        },
      };
    },
  };
}

function csvOf(from: number, count: number): string {
  const lines: string[] = [];
  for (let i = from; i < from + count; i++) {
    lines.push([i, `host_${i % 3}`, new Date(Date.UTC(2024, 0, 1) + i * 10_000).toISOString(), (i * 7) % 101].join(','));
  }
  return `${lines.join('\n')}\n`;
}
