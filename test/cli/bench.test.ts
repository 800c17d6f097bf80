import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import type { BenchPlan } from '../../src/benchmark/plan.js';
import type { BenchResults } from '../../src/benchmark/results.js';
import { TargetError } from '../../src/benchmark/target.js';
import { type BenchDeps, benchCommand } from '../../src/cli/bench.js';
import { ConfigError } from '../../src/core/errors.js';
import { fakeTargets, fakeWorkloads, results, run, summary } from '../support/bench-fakes.js';
import { cliPath } from '../support/cli.js';

interface Harness {
  deps: BenchDeps;
  stdout: () => string;
  stderr: () => string;
  plans: BenchPlan[];
  interrupt: () => void;
  exits: number[];
}

/** benchCommand's dependencies with a fake runner and report, the output captured. */
function harness(
  runBench: (plan: BenchPlan, opts: Parameters<BenchDeps['runBench']>[1]) => Promise<BenchResults>,
  over: Partial<BenchDeps> = {},
): Harness {
  let out = '';
  let err = '';
  const plans: BenchPlan[] = [];
  const handlers: (() => void)[] = [];
  const exits: number[] = [];
  const deps: BenchDeps = {
    runBench: (plan, opts) => {
      plans.push(plan);
      return runBench(plan, opts);
    },
    writeReport: async (_results, dir) => [join(dir, 'report.html')],
    targets: fakeTargets,
    workloads: fakeWorkloads,
    cwd: makeTempDir('streamlab-bench-cli-'),
    env: {},
    now: () => new Date('2026-11-30T22:15:00.123Z'),
    stdout: { write: (t) => void (out += t) },
    stderr: { write: (t) => void (err += t) },
    onInterrupt: (handler) => {
      handlers.push(handler);
      return () => handlers.splice(handlers.indexOf(handler), 1);
    },
    exit: (code) => void exits.push(code),
    ...over,
  };
  return {
    deps,
    stdout: () => out,
    stderr: () => err,
    plans,
    interrupt: () => {
      for (const h of [...handlers]) h();
    },
    exits,
  };
}

const finished = async () => results();

async function configProblems(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError (exit 2), got ${error}`);
    return error.problems.map((p) => p.message);
  }
  assert.fail('expected a ConfigError');
}

describe('streamlab bench (front end, fake runner)', () => {
  it('builds the plan from flags over defaults, writes results.json and the report, prints the summary', async () => {
    const measured = results({
      runs: [run(), run({ writer: 'baseline', baseline: 'LOAD DATA LOCAL INFILE', rowsPerSecond: 2000 })],
      summary: [summary(), summary({ writer: 'baseline', rps: [2000, 2000, 2000], ofBaseline: null })],
    });
    const h = harness(async (_plan, opts) => {
      assert.equal(opts.targets, fakeTargets);
      assert.equal(opts.workloads, fakeWorkloads);
      assert.ok(opts.signal instanceof AbortSignal);
      return measured;
    });
    const code = await benchCommand(
      [
        '--sinks',
        'mysql,parquet',
        '--rows',
        '1_000',
        '--batch-sizes',
        '100,1000',
        '--guarantee',
        'both',
        '--no-baselines',
        '--server-pid',
        '12,13',
        '--server-pid',
        '14',
      ],
      h.deps,
    );
    assert.equal(code, 0, h.stderr());
    const plan = h.plans[0];
    assert.deepEqual(
      { ...plan, env: undefined },
      {
        workload: { name: 'tsbs-cpu', scale: 100 },
        rows: 1000,
        batchSizes: [100, 1000],
        repeat: 1,
        guarantees: ['exactly-once', 'none'],
        baselines: false,
        targets: [
          { target: 'mysql', sink: 'mysql', options: {} },
          { target: 'parquet', sink: 'parquet', options: {} },
        ],
        freshnessSamples: 5,
        keep: false,
        reportDir: join(h.deps.cwd, 'out/bench-2026-11-30-221500'),
        serverPids: [12, 13, 14],
        env: undefined,
        cwd: h.deps.cwd,
      },
    );
    const written = JSON.parse(readFileSync(join(plan.reportDir, 'results.json'), 'utf8'));
    assert.deepEqual(written, measured);
    assert.match(
      h.stdout(),
      /^target\s+writer\s+batch\s+guarantee\s+rows\/s median \[min-max\]\s+MB\/s\s+p50\/p99 ms\s+% of baseline\s+disk\s+verified$/m,
    );
    assert.match(h.stdout(), /^mysql\s+sink\s+100\s+exactly-once\s+1,000 \[900-1,100\]\s+0\.1\s+12\/30\s+50%\s+2 MB\s+yes$/m);
    assert.match(h.stdout(), /^mysql\s+baseline\s+100\s+exactly-once\s+2,000 \[2,000-2,000\]\s+0\.2\s+12\/30\s+-\s+2 MB\s+yes$/m);
    assert.match(h.stdout(), /^baseline = the server's own bulk path:\n {2}mysql: LOAD DATA LOCAL INFILE$/m);
    assert.match(h.stdout(), /Written:\n {2}out\/bench-2026-11-30-221500\/results\.json\n {2}out\/bench-2026-11-30-221500\/report\.html\n/);
  });

  it('a bench file gives the settings, flags override it, and --sinks picks its entries (sweeps kept)', async () => {
    const h = harness(finished);
    mkdirSync(join(h.deps.cwd, 'benches'));
    writeFileSync(
      join(h.deps.cwd, 'benches', 'mine.yaml'),
      [
        'rows: 500',
        'repeat: 2',
        'report: out/mine',
        'sinks:',
        '  - parquet',
        '  - type: influxdb',
        '    sweep: { concurrency: [1, 4] }',
      ].join('\n'),
    );
    assert.equal(await benchCommand(['mine', '--repeat', '3', '--sinks', 'influxdb,mysql'], h.deps), 0, h.stderr());
    const plan = h.plans[0];
    assert.equal(plan.name, 'mine');
    assert.equal(plan.rows, 500);
    assert.equal(plan.repeat, 3);
    assert.equal(plan.reportDir, join(h.deps.cwd, 'out/mine'));
    assert.deepEqual(
      plan.targets.map((t) => t.target),
      ['influxdb concurrency=1', 'influxdb concurrency=4', 'mysql'],
    );
  });

  it('with .services/env present, the profiles point at those servers; --no-services leaves the environment alone', async () => {
    const h = harness(finished, { env: { MYSQL_PORT: '3306', MYSQL_PASSWORD: 'kept-secret', PATH: '/bin' } });
    mkdirSync(join(h.deps.cwd, '.services'));
    writeFileSync(join(h.deps.cwd, '.services', 'env'), 'STREAMLAB_TEST_MARIADB=127.0.0.1:3307\n');
    assert.equal(await benchCommand(['--sinks', 'mysql'], h.deps), 0);
    assert.equal(h.plans[0].env.MYSQL_PORT, '3307', 'the services win over the environment for what they set');
    assert.equal(h.plans[0].env.MYSQL_PASSWORD, '');
    assert.equal(h.plans[0].env.PATH, '/bin');
    assert.match(h.stderr(), /servers of `npm run services` \(.*\.services\): mariadb 127\.0\.0\.1:3307/);

    assert.equal(await benchCommand(['--sinks', 'mysql', '--no-services'], h.deps), 0);
    assert.equal(h.plans[1].env.MYSQL_PORT, '3306');
  });

  it('refuses bad flags with every problem at once (exit 2, before anything runs)', async () => {
    const h = harness(finished);
    assert.deepEqual(
      await configProblems(
        benchCommand(
          ['--rows', '0', '--repeat', 'three', '--batch-sizes', '100,x', '--guarantee', 'maybe', '--server-pid', '12,abc'],
          h.deps,
        ),
      ),
      [
        "--rows: expected a whole number >= 1, found '0'",
        "--batch-sizes: expected a whole number >= 1, found 'x'",
        "--repeat: expected a whole number >= 1, found 'three'",
        "--guarantee: expected exactly-once, none, both, found 'maybe'",
        "--server-pid: expected a whole number >= 1, found 'abc'",
      ],
    );
    assert.deepEqual(await configProblems(benchCommand(['--sinks', 'mysql,nosuch,console', '--workload', 'tpch'], h.deps)), [
      "--sinks: unknown sink 'nosuch' (sinks with a bench target: influxdb, cassandra, mysql, starrocks, parquet, file)",
      "--sinks: sink 'console' has no bench target (sinks with a bench target: influxdb, cassandra, mysql, starrocks, parquet, file)",
      "--workload: unknown workload 'tpch' (known: tsbs-cpu, sensor, wide)",
    ]);
    assert.match((await configProblems(benchCommand(['--row', '5'], h.deps)))[0], /^unknown option '--row'; did you mean --rows\?/);
    assert.deepEqual(await configProblems(benchCommand([], h.deps)), [
      'no sinks to measure: give --sinks (e.g. --sinks influxdb,mysql) or a bench file',
    ]);
    assert.match(
      (await configProblems(benchCommand(['--sinks', 'mysql', '--services'], h.deps)))[0],
      /^--services: no \.services\/env in .*npm run services -- up/,
    );
    assert.equal(h.plans.length, 0);
  });

  it('a server that is not up (TargetError) is a clean exit-2 message', async () => {
    const h = harness(async () => {
      throw new TargetError('mysql: nothing listens on 127.0.0.1:3307: start it with `npm run services -- up mariadb`');
    });
    assert.deepEqual(await configProblems(benchCommand(['--sinks', 'mysql'], h.deps)), [
      'mysql: nothing listens on 127.0.0.1:3307: start it with `npm run services -- up mariadb`',
    ]);
  });

  it('a run that lost rows: everything is written, a line names it, exit 1', async () => {
    const lossy = run({
      target: 'parquet',
      sink: 'parquet',
      verification: {
        expectedRows: 1100,
        expectedChecksum: 50,
        rows: 1090,
        checksum: 45,
        ok: false,
        message: '10 rows lost (checksum 45, expected 50)',
      },
    });
    const h = harness(async () =>
      results({ runs: [run(), lossy], summary: [summary(), summary({ target: 'parquet', sink: 'parquet', verified: false })] }),
    );
    assert.equal(await benchCommand(['--sinks', 'mysql,parquet', '--report', 'out/x'], h.deps), 1);
    assert.ok(existsSync(join(h.deps.cwd, 'out/x/results.json')));
    assert.match(h.stdout(), /^parquet\s+sink .* NO$/m);
    assert.match(
      h.stderr(),
      /^1 run\(s\) failed or were not verified:\n {2}parquet \[sink\] batch 100 exactly-once #1: 1,000 rows in 1 s, .*, NOT VERIFIED: 10 rows lost \(checksum 45, expected 50\)$/m,
    );
  });

  it('Ctrl-C aborts the runner, writes the partial results, exits 130; a second Ctrl-C exits at once', async () => {
    let h: Harness | undefined;
    h = harness(
      (_plan, { signal, onEvent }) =>
        new Promise((resolve) => {
          onEvent?.({
            type: 'run-start',
            target: 'mysql',
            writer: 'sink',
            batchSize: 100,
            guarantee: 'exactly-once',
            repeat: 0,
            totalRows: 1100,
          });
          onEvent?.({ type: 'run-progress', rowsDone: 500, totalRows: 1100, elapsedMs: 1000 });
          signal?.addEventListener('abort', () => resolve(results({ partial: false, summary: [] })));
          setImmediate(() => {
            h?.interrupt();
            h?.interrupt();
          });
        }),
      { stderr: { write: (t) => void (err += t), isTTY: true } },
    );
    let err = '';
    assert.equal(await benchCommand(['--sinks', 'mysql', '--report', 'out/p'], h.deps), 130);
    assert.deepEqual(h.exits, [130], 'the second Ctrl-C exits at once');
    const written = JSON.parse(readFileSync(join(h.deps.cwd, 'out/p/results.json'), 'utf8'));
    assert.equal(written.partial, true);
    assert.match(h.stdout(), /^PARTIAL results/m);
    assert.ok(err.includes('\r\x1b[2Kmysql [sink] batch 100 exactly-once #1: 500/1,100 rows  500 rows/s  ETA 1s'), JSON.stringify(err));
    assert.match(err, /Ctrl-C: stopping; writing what was measured so far \(Ctrl-C again exits at once\)/);
  });

  it('on a TTY: the progress line is redrawn in place, a note keeps it below, a finished run leaves a plain line', async () => {
    let err = '';
    const h = harness(
      async (_plan, { onEvent }) => {
        onEvent?.({
          type: 'run-start',
          target: 'mysql',
          writer: 'sink',
          batchSize: 100,
          guarantee: 'exactly-once',
          repeat: 0,
          totalRows: 1100,
        });
        onEvent?.({ type: 'run-progress', rowsDone: 500, totalRows: 1100, elapsedMs: 1000 });
        onEvent?.({ type: 'run-progress', rowsDone: 600, totalRows: 1100, elapsedMs: 1050 }); // within 100 ms: not drawn
        onEvent?.({ type: 'note', message: 'mysql: a note' });
        onEvent?.({ type: 'run-end', run: run() });
        return results();
      },
      { stderr: { write: (t) => void (err += t), isTTY: true } },
    );
    assert.equal(await benchCommand(['--sinks', 'mysql', '--no-services'], h.deps), 0);
    const clear = '\r\x1b[2K';
    const progress = 'mysql [sink] batch 100 exactly-once #1: 500/1,100 rows  500 rows/s  ETA 1s';
    const expected =
      `${clear}mysql [sink] batch 100 exactly-once #1: starting` +
      `${clear}${progress}` +
      `${clear}mysql: a note\n${clear}${progress}` +
      `${clear}mysql [sink] batch 100 exactly-once #1: 1,000 rows in 1 s, 1,000 rows/s, 0.1 MB/s, p99 30 ms, verified\n`;
    assert.equal(err.slice(err.indexOf(clear)), expected);
  });

  it('not on a TTY: one plain line per finished run, no redrawing', async () => {
    const h = harness(async (_plan, { onEvent }) => {
      onEvent?.({
        type: 'run-start',
        target: 'mysql',
        writer: 'sink',
        batchSize: 100,
        guarantee: 'exactly-once',
        repeat: 0,
        totalRows: 1100,
      });
      onEvent?.({ type: 'run-progress', rowsDone: 500, totalRows: 1100, elapsedMs: 1000 });
      onEvent?.({ type: 'run-end', run: run() });
      onEvent?.({ type: 'run-end', run: run({ writer: 'baseline', baseline: 'LOAD DATA LOCAL INFILE', rowsPerSecond: 4000 }) });
      return results();
    });
    assert.equal(await benchCommand(['--sinks', 'mysql'], h.deps), 0);
    assert.ok(!h.stderr().includes('\r'), 'no carriage returns in a log');
    const lines = h.stderr().split('\n');
    assert.ok(
      lines.includes('mysql [sink] batch 100 exactly-once #1: 1,000 rows in 1 s, 1,000 rows/s, 0.1 MB/s, p99 30 ms, verified'),
      h.stderr(),
    );
    assert.ok(
      lines.some((l) =>
        l.startsWith('mysql [baseline: LOAD DATA LOCAL INFILE] batch 100 exactly-once #1: 1,000 rows in 1 s, 4,000 rows/s'),
      ),
    );
  });

  it('--help prints the options and exits 0; a bad flag exits 2 without a stack trace (the built CLI)', () => {
    const help = spawnSync(process.execPath, [cliPath, 'bench', '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    for (const flag of [
      '--sinks',
      '--workload',
      '--scale',
      '--rows',
      '--batch-sizes',
      '--repeat',
      '--guarantee',
      '--no-baselines',
      '--freshness-samples',
      '--report',
      '--services',
      '--no-services',
      '--server-pid',
      '--keep',
    ]) {
      assert.match(help.stdout, new RegExp(`^ {2}${flag}\\b`, 'm'), flag);
    }
    const bad = spawnSync(process.execPath, [cliPath, 'bench', '--rows', '0'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, "--rows: expected a whole number >= 1, found '0'\n");
    const usage = spawnSync(process.execPath, [cliPath, '--help'], { encoding: 'utf8' });
    assert.match(usage.stdout, /^ {2}bench \[bench\] \[opts\]/m);
  });
});
