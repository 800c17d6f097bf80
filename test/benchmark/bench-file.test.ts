import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { benchesDir, loadBenchFile, resolveBenchFile } from '../../src/benchmark/bench-file.js';
import { expandSweep } from '../../src/benchmark/sweep.js';
import { ConfigError } from '../../src/core/errors.js';
import { repoRoot } from '../support/cli.js';
import { fakeTargets, fakeWorkloads } from '../support/bench-fakes.js';

const catalog = { targets: fakeTargets, workloads: fakeWorkloads };

/** Writes `text` as benches/<name>.yaml in a fresh working directory (no config/ there: the package's profiles apply). */
function benchDir(name: string, text: string): string {
  const cwd = makeTempDir('streamlab-bench-file-');
  mkdirSync(join(cwd, 'benches'));
  writeFileSync(join(cwd, 'benches', `${name}.yaml`), text);
  return cwd;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    return error.problems.map((p) => `${p.file}:${p.line} ${p.path}: ${p.message}`);
  }
  assert.fail('expected the bench file to be refused');
}

/** Two shape mistakes (lines 1-2), then four in the sinks (lines 4, 6, 8, 11). */
const BROKEN = [
  'rows: many',
  'repat: 3',
  'sinks:',
  '  - nosuch',
  '  - type: influxdb',
  '    concurency: 4',
  '    sweep:',
  '      batchSize: [1000, fast]',
  '  - type: mysql',
  '    profile: mysql',
  '    mode: sideways',
];

describe('bench file', () => {
  it('expands a sweep into one configuration per value, labelled with the value', () => {
    const cwd = benchDir(
      'sweep',
      ['rows: 5000', 'sinks:', '  - type: influxdb', '    gzip: true', '    sweep:', '      concurrency: [1, 2, 4]'].join('\n'),
    );
    const loaded = loadBenchFile('sweep', { cwd, env: {}, catalog });
    assert.equal(loaded.name, 'sweep');
    assert.equal(loaded.bench.rows, 5000);
    assert.deepEqual(loaded.targets, [
      { target: 'influxdb concurrency=1', sink: 'influxdb', options: { gzip: true, concurrency: 1 } },
      { target: 'influxdb concurrency=2', sink: 'influxdb', options: { gzip: true, concurrency: 2 } },
      { target: 'influxdb concurrency=4', sink: 'influxdb', options: { gzip: true, concurrency: 4 } },
    ]);
  });

  it('several swept options give every combination, in the order written', () => {
    const configs = expandSweep({ label: 'db', sink: 'mysql', options: {} }, { batchSize: [500, 5000], mode: ['append', 'upsert'] });
    assert.deepEqual(
      configs.map((c) => [c.target, c.options]),
      [
        ['db batchSize=500 mode=append', { batchSize: 500, mode: 'append' }],
        ['db batchSize=500 mode=upsert', { batchSize: 500, mode: 'upsert' }],
        ['db batchSize=5000 mode=append', { batchSize: 5000, mode: 'append' }],
        ['db batchSize=5000 mode=upsert', { batchSize: 5000, mode: 'upsert' }],
      ],
    );
  });

  it('reports every mistake at once, each with its file, line and dotted path', () => {
    const cwd = benchDir('broken', BROKEN.join('\n'));
    // The shape comes first: rows and repat are refused before the sinks are looked at.
    assert.deepEqual(
      problemsOf(() => loadBenchFile('broken', { cwd, env: {}, catalog })),
      [
        'benches/broken.yaml:1 rows: Invalid input: expected number, received string',
        `benches/broken.yaml:2 repat: unknown key 'repat' (allowed: name, description, workload, scale, rows, batchSizes, repeat, guarantee, baselines, freshnessSamples, keep, report, sinks)`,
      ],
    );
    writeFileSync(join(cwd, 'benches', 'broken.yaml'), BROKEN.slice(2).join('\n'));
    const problems = problemsOf(() => loadBenchFile('broken', { cwd, env: {}, catalog }));
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.equal(
      problems[0],
      `benches/broken.yaml:2 sinks[0]: unknown sink 'nosuch' (sinks with a bench target: influxdb, cassandra, mysql, starrocks, parquet, file)`,
    );
    assert.match(
      problems[1],
      /^benches\/broken\.yaml:4 sinks\[1\]\.concurency: unknown option 'concurency' of sink 'influxdb' \(allowed: api, url, .*concurrency/,
    );
    assert.match(
      problems[2],
      /^benches\/broken\.yaml:6 sinks\[1\]\.sweep\.batchSize\[1\]: Invalid input: expected number, received string$/,
    );
    assert.match(problems[3], /^benches\/broken\.yaml:9 sinks\[2\]\.mode: Invalid option: expected one of "append"\|"upsert"$/);
  });

  it('names a registered sink that has no bench target as such', () => {
    const cwd = benchDir('console', 'sinks: [console]\n');
    assert.deepEqual(
      problemsOf(() => loadBenchFile('console', { cwd, env: {}, catalog })),
      [
        `benches/console.yaml:1 sinks[0]: sink 'console' has no bench target (sinks with a bench target: influxdb, cassandra, mysql, starrocks, parquet, file)`,
      ],
    );
  });

  it('refuses an unknown workload, a missing profile, an option set and swept, and two entries with one label', () => {
    const cwd = benchDir(
      'more',
      [
        'workload: tpch', // 1
        'sinks:', // 2
        '  - type: cassandra', // 3
        '    profile: nowhere', // 4
        '  - type: mysql', // 5
        '    batchSize: 100', // 6
        '    sweep: { batchSize: [1, 2] }', // 7
        '  - parquet', // 8
        '  - parquet', // 9
      ].join('\n'),
    );
    const problems = problemsOf(() => loadBenchFile('more', { cwd, env: {}, catalog }));
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.equal(problems[0], `benches/more.yaml:1 workload: unknown workload 'tpch' (known: tsbs-cpu, sensor, wide)`);
    assert.match(
      problems[1],
      /^benches\/more\.yaml:4 sinks\[0\]\.profile: profile 'nowhere' not found: no .*config\/nowhere\.yaml \(profiles: cassandra, /,
    );
    assert.equal(problems[2], `benches/more.yaml:7 sinks[1].sweep.batchSize: 'batchSize' is both set and swept: remove one`);
    assert.equal(problems[3], "benches/more.yaml:9 sinks[3]: two configurations are named 'parquet': give the entries a `label:`");
  });

  it('finds a bench by name in benches/, and lists the benches when the name is unknown', () => {
    const cwd = benchDir('mine', 'sinks: [parquet]\n');
    assert.equal(resolveBenchFile('mine', cwd), join(cwd, 'benches', 'mine.yaml'));
    assert.throws(() => resolveBenchFile('theirs', cwd), /bench 'theirs' not found: no .*benches\/theirs\.yaml\. Benches: mine/);
    // Without a benches/ of its own, the working directory gets the package's.
    assert.equal(benchesDir(tmpdir()), join(repoRoot, 'benches'));
  });

  it('every shipped bench file loads', () => {
    const names = readdirSync(join(repoRoot, 'benches')).map((f) => f.replace(/\.yaml$/, ''));
    assert.deepEqual(names.sort(), ['exactly-once-cost', 'influxdb-sweep', 'sinks-shootout']);
    for (const name of names) {
      const loaded = loadBenchFile(name, { cwd: tmpdir(), env: {}, catalog });
      assert.equal(loaded.name, name);
      assert.ok(loaded.targets.length > 0);
    }
    const sweep = loadBenchFile('influxdb-sweep', { cwd: tmpdir(), env: {}, catalog });
    assert.deepEqual(
      sweep.targets.map((t) => t.target),
      ['influxdb concurrency=1', 'influxdb concurrency=2', 'influxdb concurrency=4'],
    );
  });
});
